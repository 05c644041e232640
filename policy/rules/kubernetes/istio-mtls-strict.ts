import { defineStackPolicy, StackResource } from "../../lib/policy";
import { PEER_AUTHENTICATION_TYPES } from "../../lib/resource-types";
import { ofType } from "../../lib/stack";
import { at, readRecord, readString, UNKNOWN } from "../../lib/values";

interface Config {
    readonly rootNamespace: string;
}

/** Modes that let plain text through: PERMISSIVE accepts it, DISABLE sends it. */
const WEAK_MODES = ["PERMISSIVE", "DISABLE"];

/**
 * The annotation by which a PeerAuthentication states why some of its ports accept callers outside
 * the mesh (the API server calling a webhook). Such a port may be PERMISSIVE, on selected pods
 * whose own mode stays STRICT; nothing else may weaken the mesh.
 */
export const MTLS_EXCEPTION_ANNOTATION = "nist-eks-platform/mtls-exception";

/** The recorded reason a PeerAuthentication's PERMISSIVE ports are exceptions, if it may have any. */
function recordedException(peerAuthentication: StackResource): string | undefined {
    const reason = readString(at(peerAuthentication.props, "metadata", "annotations", MTLS_EXCEPTION_ANNOTATION));
    const mode = readString(at(peerAuthentication.props, "spec", "mtls", "mode"));
    return typeof reason === "string" && reason.trim() !== "" && mode === "STRICT" && !hasNoSelector(peerAuthentication) ? reason : undefined;
}

function hasNoSelector(peerAuthentication: StackResource): boolean {
    const selector = readRecord(at(peerAuthentication.props, "spec", "selector"));
    if (selector === undefined) return true;
    if (selector === UNKNOWN) return false;
    const labels = readRecord(selector.matchLabels);
    return labels !== UNKNOWN && Object.keys(labels ?? {}).length === 0;
}

/** Where a PeerAuthentication lets plain text through: its own mode and each port's. */
function weakSettings(peerAuthentication: StackResource): string[] {
    const { props } = peerAuthentication;
    const weak: string[] = [];
    const mode = readString(at(props, "spec", "mtls", "mode"));
    if (typeof mode === "string" && WEAK_MODES.includes(mode)) weak.push(`mtls.mode ${mode}`);
    const ports = readRecord(at(props, "spec", "portLevelMtls"));
    const excepted = recordedException(peerAuthentication) !== undefined;
    if (ports !== undefined && ports !== UNKNOWN) {
        for (const [port, setting] of Object.entries(ports)) {
            const portMode = readString(at(setting, "mode"));
            if (portMode === "PERMISSIVE" && excepted) continue;
            if (typeof portMode === "string" && WEAK_MODES.includes(portMode)) weak.push(`port ${port} mode ${portMode}`);
        }
    }
    return weak;
}

export const istioMtlsStrict = defineStackPolicy<Config>({
    name: "istio-mtls-strict",
    description: "Prod has a mesh-wide PeerAuthentication (in Istio's root namespace, without selector) in STRICT mode, and no other PeerAuthentication weakens it to PERMISSIVE or DISABLE, so all traffic between workloads is mutually authenticated and encrypted. The one exception: a port of selected, otherwise STRICT pods may be PERMISSIVE where the object records why (annotation nist-eks-platform/mtls-exception), for callers outside the mesh such as the API server calling a webhook.",
    nist: ["SC-8"],
    anchors: [],
    severity: "high",
    enforcementLevel: "advisory",
    prodOnly: true,
    remediationSteps: "Declare a PeerAuthentication named default in istio-system with spec.mtls.mode STRICT and no selector (security.istio.mtlsMode STRICT), and remove PERMISSIVE or DISABLE overrides, including portLevelMtls ones.",
    config: {
        rootNamespace: { type: "string", default: "istio-system", description: "Istio's root namespace, where mesh-wide policy lives" },
    },
    validate(resources, { config }, report) {
        const all = ofType(resources, ...PEER_AUTHENTICATION_TYPES);
        const meshWide = all.filter((pa) => {
            const namespace = readString(at(pa.props, "metadata", "namespace"));
            return (namespace === UNKNOWN || namespace === config.rootNamespace) && hasNoSelector(pa);
        });
        const strict = meshWide.some((pa) => {
            const mode = readString(at(pa.props, "spec", "mtls", "mode"));
            return mode === "STRICT" || mode === UNKNOWN;
        });
        if (!strict) report(`no PeerAuthentication without selector in ${config.rootNamespace} sets mtls.mode STRICT for the whole mesh`);
        for (const pa of all) {
            const weak = weakSettings(pa);
            if (weak.length > 0) report(`PeerAuthentication ${pa.name} weakens mTLS: ${weak.join(", ")}`, pa);
        }
    },
});
