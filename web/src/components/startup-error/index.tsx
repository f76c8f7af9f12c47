// Shown instead of the app when it cannot start (no connection, or a broken config.json).
export function StartupError(props: { message: string; offline: boolean }) {
  return (
    <div class="app">
      <header class="app-header">
        <div class="brand">
          <img src="icon.svg" alt="" width={28} height={28} />
          <span>Dialpad</span>
        </div>
      </header>
      <main class="app-main">
        <section class="card narrow startup-error" role="alert" aria-labelledby="startup-title">
          <h1 id="startup-title">{props.offline ? 'You are offline' : 'The dialpad cannot start'}</h1>
          <p class="lead">
            {props.offline
              ? 'The dialpad needs a connection to make and take calls. Reconnect, then try again.'
              : props.message}
          </p>
          <button type="button" class="button button-primary button-block" onClick={() => location.reload()}>
            Try again
          </button>
        </section>
      </main>
    </div>
  );
}
