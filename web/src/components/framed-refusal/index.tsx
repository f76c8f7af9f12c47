// Shown instead of the app when the dialpad is inside another page's frame (frame-guard.ts): nothing of the
// app starts, no request is made; the person can open the dialpad on its own.
export function FramedRefusal(props: { href: string }) {
  return (
    <div class="app">
      <main class="app-main">
        <section class="card narrow startup-error" role="alert" aria-labelledby="framed-title">
          <h1 id="framed-title">The dialpad does not run inside another site</h1>
          <p class="lead">For your account's safety it only works when opened directly.</p>
          <a class="button button-primary button-block" href={props.href} target="_top" rel="noopener noreferrer">
            Open the dialpad
          </a>
        </section>
      </main>
    </div>
  );
}
