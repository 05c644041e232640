/**
 * Where the platform departs from the original dev-vs-prod decision table it was designed from,
 * and why, keyed by the decision row (planner/compare.ts) it concerns. docs/decisions.md prints
 * each one under its row's table; the values themselves are always read from the stacks.
 */
export const DEPARTURES: Readonly<Record<string, string>> = {
    "VPC CIDR Architecture":
        "The original table let dev drop the second CIDR. Dev keeps it: pods take addresses from 100.64.0.0/10, which nothing outside the VPC routes to (SC-7), in every environment, so dev exercises the same custom networking and ENIConfig ordering that prod depends on.",
    "Availability Zones":
        "The original table put dev in one zone, which EKS does not allow: a cluster needs subnets in at least two zones. Dev has two and saves where it can, with one NAT gateway and nodes in one zone; the config schema refuses fewer than two zones.",
    "NAT Gateways":
        "NAT gateways sit in the public subnets, not among the private ones as the original table listed them. Each private subnet routes to the gateway of its own zone in prod and to the single gateway in dev.",
    "Pod Subnets":
        "The original dev alternative used ordinary VPC subnets for pods. Dev keeps the non-routable pod subnets (see VPC CIDR Architecture); prefix delegation gives its small nodes 110 pod slots instead of 12.",
    "Private EKS Endpoint":
        "Where a stack keeps the public endpoint (dev), it is open only to the listed CIDRs and the private endpoint stays on; the config schema refuses 0.0.0.0/0.",
    "Bastion Host":
        "The original table put a t3a.medium bastion in prod. An SSM port-forward needs almost nothing, so prod runs a Graviton t4g.micro with an 8 GB volume for a fraction of the price; sessions are still logged by SSM and the host has no key pair and no inbound rule (AC-2, AU-2).",
    "SSM Session Manager":
        "The original dev alternative was SSH with key pairs. No stack has key pairs: every stack reaches its instances through Session Manager, so there are no keys to manage or leak (IA-5) and every session is logged (AU-2).",
    "Instance Type":
        "The original table ran x86 t3a nodes on demand in both stacks. Prod runs Graviton t4g.xlarge, the same 4 vCPU and 16 GiB for less, allowed only because every image the platform runs is published for arm64 (the config schema and the rendered images are both checked); dev runs Spot over four x86 types of one size, priced with a dated discount assumption.",
    "Node Working Hours":
        "Not in the original table. Dev's nodes run on weekdays from 08:00 to 20:00 New York time and scale to zero otherwise, through scheduled actions on the node group's Auto Scaling group; persistent volumes stay. Prod runs around the clock.",
    "Disk Size":
        "The original table gave nodes 100 GB (prod) and 50 GB (dev). A node's root volume holds only the OS, the images it pulls and container logs, as stateful data lives on persistent volumes: prod keeps 40 GB and dev EKS's default 20 GB.",
    "Observability Mode":
        "Not a row of the original table, which chose the self-managed stack and described AWS-managed (CloudWatch), Amazon Managed Prometheus with Managed Grafana, and a hybrid as alternatives it did not build. Each is a value of observability.mode here that a stack file can deploy, with its AWS services declared under the platform's keys, tags, retention and least-privilege roles; both shipped stacks stay self-managed. The README's \"Observability modes\" says what each mode keeps and drops and what it costs in prod and dev.",
    "Kafka":
        "Not a row of the original table, which kept Kafka for Mimir's write path. The Kafka that mimir-distributed bundles is a single broker meant for demos and cannot give that durability. Prod runs a Kafka cluster of its own (Strimzi, KRaft, three brokers across the zones, replication factor 3, two in-sync replicas, encrypted volumes); dev runs none. Every client authenticates (Mimir with a client certificate, Tempo 3.0.3, whose Kafka client has no TLS, with SASL PLAIN on a listener of its own that only the mesh encrypts) and is authorized by ACLs to its own topic and consumer groups; the topics are declared, not auto-created. Kafka makes writes durable; it does not make them exactly-once, and the platform does not claim that.",
    "Tempo":
        "Tempo 3 (tempo-distributed 3.x) writes through Kafka as well. Prod runs it on the same Kafka cluster with two replicas of every component on the write and read paths; dev runs the single-binary tempo chart on a local volume.",
    "Loki Mode":
        "In loki 18.x SingleBinary is a deprecated alias of Monolithic and SimpleScalable is deprecated but supported; the stacks keep the names the original table used.",
    "Grafana Storage":
        "The original table gave each prod replica its own 10 GB volume, which makes two independent Grafanas: separate users, dashboards and alert rules, and every alert sent twice. Prod's replicas share one private, encrypted RDS PostgreSQL (customer-managed key, backups, deletion protection) and peer their alerting so each alert is sent once; dev keeps one Grafana on SQLite on its 5 GB volume.",
    "Kiali":
        "Kiali only shows mesh traffic, so it needs Istio: the config schema refuses Kiali without Istio, and dev, which runs no Istio, runs no Kiali.",
    "IRSA for All Services":
        "The original dev alternative was static credentials. Long-lived access keys break IA-5, so every stack gives services IAM roles through the cluster's OIDC provider and declares no access key.",
    "KMS Encryption":
        "The original dev alternative was the AWS default encryption. Every stack encrypts secrets, volumes, buckets and logs with its own customer-managed keys, rotated yearly (SC-28); the keys cost about $1 a month each.",
    "Mandatory Tagging":
        "The original table made tags optional in dev and did not name them. Every stack requires Project, Environment, Owner and CostCenter on every AWS resource that takes tags: the config schema refuses a missing one and the policy pack checks each resource.",
    "EKS Control Plane":
        "The table's $73 a month holds for a Kubernetes version in standard support; a version in extended support costs six times as much. The version is a config key, refused below the oldest version in standard support.",
};
