// The golden suite again on the wasm backend (the server may run either backend).
export {};
process.env.GOLDEN_BACKEND = 'wasm';
await import('./golden.test');
