/**
 * The pack's meaning-based readers: address coverage, provider booleans, protocols and port ranges,
 * and IAM documents. Each is given spellings that mean the same and spellings that differ.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { coversInternet, internetCoverage, parseCidr, publicBlocks } from "../../policy/lib/cidr";
import {
    allowsAllActions, anyPrincipal, appliesToAllResources, escalationActions, globMatches, narrowedByCondition, parsePolicyDocument, ParsedStatement, subjectPinned,
} from "../../policy/lib/iam";
import { describeExposure, onlyTcpPorts, readExposure, readProtocol } from "../../policy/lib/ports";
import { readFlag, UNKNOWN } from "../../policy/lib/values";
import { UNKNOWN as SENTINEL } from "./helpers";

/** The IPv4 space cut into 2^bits equal blocks. */
function split(bits: number): string[] {
    const size = 2 ** (32 - bits);
    return Array.from({ length: 2 ** bits }, (_, i) => {
        const first = i * size;
        return `${[24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256).join(".")}/${bits}`;
    });
}

describe("policy reader: CIDR coverage", () => {
    it("parses IPv4 and IPv6 blocks, normalising host bits, and refuses what is not a block", () => {
        expect(parseCidr("10.0.0.5/8")).to.deep.equal({ family: "IPv4", first: 10n << 24n, last: (11n << 24n) - 1n });
        expect(parseCidr("::/0")).to.deep.equal({ family: "IPv6", first: 0n, last: (1n << 128n) - 1n });
        expect(parseCidr("2001:db8::1")?.last).to.equal(parseCidr("2001:db8::1")?.first);
        expect(parseCidr("::ffff:192.0.2.1/128")?.first).to.equal((0xffffn << 32n) | 0xc0000201n);
        for (const bad of ["10.0.0.0/33", "256.0.0.0/8", "1.2.3/8", "::/129", "1:2:3:4:5:6:7:8:9/64", "x", "10.0.0.0/8/1"]) expect(parseCidr(bad), bad).to.equal(undefined);
    });

    it("finds the whole internet however it is cut: one /0, two /1s, or public space around the private ranges", () => {
        expect(internetCoverage(["0.0.0.0/0"])).to.deep.equal(["IPv4"]);
        expect(internetCoverage(["::/0", "10.0.0.0/8"])).to.deep.equal(["IPv6"]);
        expect(coversInternet(["128.0.0.0/1", "0.0.0.0/1"])).to.equal(true);
        expect(coversInternet(["2000::/3"])).to.equal(true);
        // Everything but 10/8: still every public address.
        expect(coversInternet(["0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/1"])).to.equal(true);
    });

    it("does not call a named range, private space or half the internet the internet", () => {
        expect(coversInternet(["203.0.113.0/24", "198.51.100.0/24"])).to.equal(false);
        expect(coversInternet(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fd00::/8"])).to.equal(false);
        expect(coversInternet(["0.0.0.0/1"])).to.equal(false);
        expect(coversInternet(["2000::/4"])).to.equal(false);
        expect(coversInternet(["not a cidr"])).to.equal(false);
        expect(publicBlocks(["10.0.0.0/8", "0.0.0.0/1", "192.0.2.0/24"])).to.deep.equal(["0.0.0.0/1"]);
    });

    it("property: any cut of the IPv4 space covers the internet in any order, and loses it with any public block left out", () => {
        fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1000 }), fc.nat(), (bits, seed, drop) => {
            const blocks = split(bits).sort((a, b) => ((a.length * seed + a.charCodeAt(2)) % 7) - ((b.length * seed + b.charCodeAt(2)) % 7));
            expect(coversInternet(blocks)).to.equal(true);
            const publicOnes = blocks.filter((b) => publicBlocks([b]).length > 0);
            const left = publicOnes[drop % publicOnes.length];
            expect(coversInternet(blocks.filter((b) => b !== left))).to.equal(false);
        }));
    });
});

describe("policy reader: provider booleans", () => {
    it("reads every spelling Go's ParseBool accepts, as the provider does for string flags", () => {
        expect([true, "true", "True", "TRUE", "1", "t", "T", 1].map(readFlag)).to.deep.equal(Array(8).fill(true));
        expect([false, "false", "False", "FALSE", "0", "f", "F", 0].map(readFlag)).to.deep.equal(Array(8).fill(false));
        expect(["yes", "", "2", 2, null, undefined].map(readFlag)).to.deep.equal(Array(6).fill(undefined));
        expect(readFlag(SENTINEL)).to.equal(UNKNOWN);
    });
});

describe("policy reader: protocols and ports", () => {
    it("normalises protocol names, numbers and case", () => {
        expect(["tcp", "TCP", "6", 6, "udp", "17", "ICMP", "1", "icmpv6", "58", "-1", -1, "all", "ALL", "50", "999", "tcpx"].map(readProtocol))
            .to.deep.equal(["tcp", "tcp", "tcp", "tcp", "udp", "udp", "icmp", "icmp", "icmpv6", "icmpv6", "all", "all", "all", "all", "ip-50", undefined, undefined]);
        expect(readProtocol(SENTINEL)).to.equal(UNKNOWN);
    });

    it("reads port ranges as the provider applies them", () => {
        expect(readExposure("-1", 0, 0)).to.deep.equal({ protocol: "all", from: 0, to: 65535 });
        expect(readExposure("icmp", 8, 0)).to.deep.equal({ protocol: "icmp", from: 0, to: 65535 });
        expect(readExposure("TCP", "443", 443)).to.deep.equal({ protocol: "tcp", from: 443, to: 443 });
        expect(readExposure("6", -1, -1)).to.deep.equal({ protocol: "tcp", from: 0, to: 65535 });
        expect(readExposure("tcp", SENTINEL, 22)).to.equal(UNKNOWN);
        expect(describeExposure({ protocol: "udp", from: 0, to: 65535 })).to.equal("udp every port");
    });

    it("allows only TCP exposures wholly inside the allow-list", () => {
        const allowed = new Set([80, 443]);
        expect(onlyTcpPorts({ protocol: "tcp", from: 443, to: 443 }, allowed)).to.equal(true);
        expect(onlyTcpPorts({ protocol: "tcp", from: 80, to: 443 }, allowed)).to.equal(false);
        expect(onlyTcpPorts({ protocol: "udp", from: 443, to: 443 }, allowed)).to.equal(false);
    });
});

describe("policy reader: IAM documents", () => {
    const one = (statement: Record<string, unknown>): ParsedStatement => (parsePolicyDocument({ Statement: [statement] }) as ParsedStatement[])[0];

    it("matches IAM globs: * and ? anywhere, actions without case", () => {
        expect(globMatches("s3:Get*", "s3:getobject", true)).to.equal(true);
        expect(globMatches("s3:Get*", "s3:getobject")).to.equal(false);
        expect(globMatches("arn:aws:s3:::logs-?/*", "arn:aws:s3:::logs-1/a/b")).to.equal(true);
        expect(globMatches("iam:*Policy", "iam:PutRolePolicy", true)).to.equal(true);
    });

    it("knows every action and every resource however they are written", () => {
        for (const action of ["*", "*:*", "?*:*", ["s3:GetObject", "*"]]) expect(allowsAllActions(one({ Effect: "Allow", Action: action, Resource: "*" })), String(action)).to.equal(true);
        for (const action of ["s3:*", "*:Get*", "iam:*", ["s3:*", "ec2:*"]]) expect(allowsAllActions(one({ Effect: "Allow", Action: action, Resource: "*" })), String(action)).to.equal(false);
        expect(allowsAllActions(one({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }))).to.equal(true);
        for (const resource of ["*", "arn:*", ["arn:aws:s3:::b", "*"]]) expect(appliesToAllResources(one({ Effect: "Allow", Action: "s3:*", Resource: resource })), String(resource)).to.equal(true);
        expect(appliesToAllResources(one({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::*" }))).to.equal(false);
        expect(appliesToAllResources(one({ Effect: "Allow", Action: "s3:*", NotResource: "arn:aws:s3:::secret/*" }))).to.equal(true);
        expect(allowsAllActions(one({ Effect: "Allow", Action: SENTINEL, Resource: "*" }))).to.equal(false);
    });

    it("finds privilege-escalation actions behind wildcards", () => {
        expect(escalationActions(one({ Effect: "Allow", Action: ["iam:Put*Policy", "s3:GetObject"], Resource: "*" }))).to.deep.equal(["iam:PutGroupPolicy", "iam:PutRolePolicy", "iam:PutUserPolicy"]);
        expect(escalationActions(one({ Effect: "Allow", Action: "IAM:passrole", Resource: "*" }))).to.deep.equal(["iam:PassRole"]);
        expect(escalationActions(one({ Effect: "Allow", Action: "iam:Get*", Resource: "*" }))).to.deep.equal([]);
    });

    it("reads principals and conditions: any principal, narrowing conditions, pinned OIDC subjects", () => {
        expect(anyPrincipal(one({ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }))).to.equal(true);
        expect(anyPrincipal(one({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::1:root", "*"] }, Action: "s3:GetObject" }))).to.equal(true);
        expect(anyPrincipal(one({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject" }))).to.equal(true);
        expect(anyPrincipal(one({ Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "kms:Decrypt" }))).to.equal(false);
        expect(narrowedByCondition(one({ Effect: "Allow", Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-123" } } }))).to.equal(true);
        expect(narrowedByCondition(one({ Effect: "Allow", Principal: "*", Condition: { StringLike: { "aws:PrincipalOrgID": "*" } } }))).to.equal(false);
        expect(narrowedByCondition(one({ Effect: "Allow", Principal: "*", Condition: { StringNotEquals: { "aws:SourceAccount": "1" } } }))).to.equal(false);
        expect(narrowedByCondition(one({ Effect: "Allow", Principal: "*", Condition: { StringEqualsIfExists: { "aws:SourceAccount": "1" } } }))).to.equal(false);
        const oidc = (condition: unknown) => subjectPinned(one({ Effect: "Allow", Principal: { Federated: "arn:oidc" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition }));
        expect(oidc({ StringEquals: { "oidc.eks/id/X:sub": "system:serviceaccount:velero:velero" } })).to.equal(true);
        expect(oidc({ StringLike: { "oidc.eks/id/X:sub": "system:serviceaccount:velero:*" } })).to.equal(true);
        expect(oidc({ StringLike: { "oidc.eks/id/X:sub": "*" } })).to.equal(false);
        expect(oidc({ StringEquals: { "oidc.eks/id/X:aud": "sts.amazonaws.com" } })).to.equal(false);
    });

    it("reads a document given as text, object, single statement or unknown", () => {
        expect(parsePolicyDocument(JSON.stringify({ Statement: { Sid: "A", Effect: "Deny", Action: "*", Resource: "*" } }))).to.have.length(1);
        expect((parsePolicyDocument({ Statement: [{ Sid: "A", Effect: "Allow" }] }) as ParsedStatement[])[0].label).to.equal("statement 0 (A)");
        expect(parsePolicyDocument(SENTINEL)).to.equal(UNKNOWN);
        expect(parsePolicyDocument("not json")).to.equal(undefined);
    });
});
