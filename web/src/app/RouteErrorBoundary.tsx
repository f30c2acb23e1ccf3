import { Component, type ReactNode } from 'react';
import i18next from '../i18n';

type State = { failed: boolean };

/**
 * Catches a lazily loaded page that fails to load (network loss, or a new release replaced the
 * chunk) and offers a reload instead of a blank screen. `pane`: the same for one pane of a page
 * (the conversation view), so an error there never unmounts the whole app; `resetKey` names what
 * the pane shows, so opening something else starts afresh.
 */
export class RouteErrorBoundary extends Component<{ children: ReactNode; pane?: boolean; resetKey?: string }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidUpdate(previous: { resetKey?: string }) {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) this.setState({ failed: false });
  }

  override componentDidCatch(error: unknown) {
    console.error('Pier: a view failed to render', error);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    if (this.props.pane) {
      return (
        <section className="pane-failed" role="alert" data-testid="pane-failed">
          <h2>{i18next.t('boot.paneFailed')}</h2>
          <p>{i18next.t('boot.paneFailedHint')}</p>
          <button type="button" className="btn" onClick={() => window.location.reload()}>
            {i18next.t('common.reload')}
          </button>
        </section>
      );
    }
    return (
      <div className="splash">
        <div className="splash-card" role="alert">
          <h1>{i18next.t('boot.pageFailed')}</h1>
          <p>{i18next.t('boot.pageFailedHint')}</p>
          <button type="button" className="btn" onClick={() => window.location.reload()}>
            {i18next.t('common.reload')}
          </button>
        </div>
      </div>
    );
  }
}
