/** Repository root. */
export declare const root: string
/** The Electron major version the project targets. */
export declare function targetElectronMajor(): string
/** Where Electron's runtime is, or why it is not installed. */
export declare function electronRuntime(): { packageDir?: string; binary?: string; why?: string }
