// The demo's folder, apart from the demo so that the command line can name it without loading it.

/** The folder the demo uses unless --data names another. */
export const DEMO_DATA_DIR = './bantay-demo';
