/**
 * The pack's entry point for the Pulumi CLI. Constructing the PolicyPack starts the analyzer's
 * gRPC server, so nothing else may import this file: tests and the planner use policies.ts.
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies, PACK_ENFORCEMENT_LEVEL, PACK_NAME } from "./policies";

new PolicyPack(PACK_NAME, {
    policies: allPolicies,
    enforcementLevel: PACK_ENFORCEMENT_LEVEL,
    description: "NIST SP 800-53 Rev. 5 controls for the EKS platform: encryption, network exposure, logging, least privilege, tagging, backups and high availability.",
});
