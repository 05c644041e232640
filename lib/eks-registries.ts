/**
 * Where EKS pulls its managed add-ons' images from: an AWS-owned ECR registry, in account
 * 602401143452 in most regions and in a regional account elsewhere (data/eks-addon-registries.json,
 * derived by scripts/derive-eks-registries.ts from eksctl's own table at a tagged release, which
 * it names with its commit).
 */
import table from "./data/eks-addon-registries.json";

export interface EksRegistryTable {
    readonly about: string;
    readonly source: { readonly repository: string; readonly tag: string; readonly commit: string; readonly file: string; readonly retrieved: string };
    /** The account of every region the table does not list. */
    readonly defaultAccount: string;
    /** Regions with an account of their own. */
    readonly accounts: Readonly<Record<string, string>>;
}

export const EKS_ADDON_REGISTRIES: EksRegistryTable = table;

/**
 * eksctl's table from the source of its `types.go`: the `eksResourceAccount<X> = "<id>"`
 * constants, the `Region<X> = "<region>"` constants, and the cases of `EKSResourceAccountID`
 * (`case Region<X>: return eksResourceAccount<Y>`), whose `default` names the default account.
 */
export function deriveEksRegistries(source: string): { defaultAccount: string; accounts: Record<string, string> } {
    const constants = (pattern: RegExp) => new Map([...source.matchAll(pattern)].map((m) => [m[1], m[2]]));
    const accountIds = constants(/^\s*(eksResourceAccount\w+)\s*=\s*"(\d{12})"/gm);
    const regions = constants(/^\s*(Region\w+)\s*=\s*"([a-z]{2}(?:-[a-z]+)+-\d)"/gm);
    const body = /func EKSResourceAccountID\(region string\) string \{([\s\S]*?)\n\}/.exec(source)?.[1];
    if (!body) throw new Error("types.go: no func EKSResourceAccountID(region string) string");
    const accounts: Record<string, string> = {};
    for (const [, regionConstant, accountConstant] of body.matchAll(/case (Region\w+):\s*return (eksResourceAccount\w+)/g)) {
        const region = regions.get(regionConstant);
        const account = accountIds.get(accountConstant);
        if (!region || !account) throw new Error(`types.go: case ${regionConstant} returns ${accountConstant}, and one of them is not a constant`);
        accounts[region] = account;
    }
    const fallback = /default:\s*return (eksResourceAccount\w+)/.exec(body)?.[1];
    const defaultAccount = fallback ? accountIds.get(fallback) : undefined;
    if (!defaultAccount) throw new Error("types.go: EKSResourceAccountID has no default account");
    return { defaultAccount, accounts: Object.fromEntries(Object.entries(accounts).sort(([a], [b]) => a.localeCompare(b))) };
}

/** The account of the EKS add-on registry in `region`. */
export function eksAddonRegistryAccount(region: string, registries: EksRegistryTable = EKS_ADDON_REGISTRIES): string {
    return registries.accounts[region] ?? registries.defaultAccount;
}
