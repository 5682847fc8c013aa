/** The CLI version, injected from package.json at build time. */
declare const __ANIRA_VERSION__: string;
export const VERSION: string = typeof __ANIRA_VERSION__ === 'string' ? __ANIRA_VERSION__ : '0.0.0-dev';
