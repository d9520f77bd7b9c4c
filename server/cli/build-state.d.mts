export declare const root: string;
export declare const serverBundle: string;
export declare function sourceHash(): string;
export declare function ensureInstalled(log?: (message: string) => void): boolean;
export declare function ensureBuild(log?: (message: string) => void): Promise<boolean>;
export declare function buildServerBundles(): Promise<void>;
