import { sortedJson } from "../../lib/json";

export interface KubeconfigArgs {
    readonly clusterName: string;
    readonly region: string;
    /** The API server URL: the cluster endpoint, or a local SSM port-forward to it. */
    readonly server: string;
    readonly certificateAuthorityData: string;
    /** The real endpoint's host name, when `server` is a tunnel whose name the certificate lacks. */
    readonly tlsServerName?: string;
}

/**
 * A kubeconfig that authenticates with `aws eks get-token`, so no long-lived token is stored
 * (IA-5): whoever runs Pulumi needs AWS credentials and an EKS access entry, nothing else.
 */
export function kubeconfig(args: KubeconfigArgs): string {
    return sortedJson({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{
            name: args.clusterName,
            cluster: {
                server: args.server,
                "certificate-authority-data": args.certificateAuthorityData,
                ...(args.tlsServerName ? { "tls-server-name": args.tlsServerName } : {}),
            },
        }],
        contexts: [{ name: args.clusterName, context: { cluster: args.clusterName, user: args.clusterName } }],
        "current-context": args.clusterName,
        users: [{
            name: args.clusterName,
            user: {
                exec: {
                    apiVersion: "client.authentication.k8s.io/v1beta1",
                    command: "aws",
                    args: ["eks", "get-token", "--cluster-name", args.clusterName, "--region", args.region, "--output", "json"],
                    interactiveMode: "Never",
                },
            },
        }],
    });
}
