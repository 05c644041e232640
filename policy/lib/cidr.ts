/** Network ranges that open a port to the whole internet. */

/** True for 0.0.0.0/0, ::/0 and any other prefix of length 0: the whole address space. */
export function isWholeInternet(cidr: string): boolean {
    return /\/0$/.test(cidr.trim());
}
