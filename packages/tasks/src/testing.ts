/** fast-check arbitraries for tasks: `@anira/tasks/testing`. */
export {};
