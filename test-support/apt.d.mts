/** The path of `command` on PATH, or undefined. */
export function which(command: string): string | undefined;
/** Installs the Debian packages still missing, one install at a time across processes. */
export function installPackages(packages: string[]): void;
