// Loaded (--import) into every test file's process by scripts/run-tests.ts. Some browser test files' processes
// lingered ~30 s after their last hook (nothing but stdio pipes left open) and now and then never ended, which
// stopped a whole tier at its timeout. Once a file's tests and hooks are done, its process gets a few seconds to
// report and end by itself, then ends. Only in the processes the test runner starts for files (NODE_TEST_CONTEXT),
// never in the runner itself, which must write every report before it exits.
if (process.env.NODE_TEST_CONTEXT?.startsWith('child')) {
  const { after } = await import('node:test');
  after(() => {
    setTimeout(() => process.exit(), 3000).unref();
  });
}
