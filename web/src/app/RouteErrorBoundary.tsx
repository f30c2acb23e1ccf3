import { Component, type ReactNode } from 'react';
import i18next from '../i18n';

type State = { failed: boolean };

/**
 * Catches a lazily loaded page that fails to load (network loss, or a new release replaced the
 * chunk) and offers a reload instead of a blank screen.
 */
export class RouteErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
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
