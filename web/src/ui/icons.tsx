import type { ReactNode } from 'react';

/** The 16×16 line-icon frame; icons used only in a lazily loaded chunk are defined there with it. */
export function Icon({ children, size = 16 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const InboxIcon = () => (
  <Icon>
    <path d="M2 9.5 3.6 3.4A1 1 0 0 1 4.6 2.7h6.8a1 1 0 0 1 1 .7L14 9.5V13a.5.5 0 0 1-.5.5h-11A.5.5 0 0 1 2 13z" />
    <path d="M2 9.5h3.5l1 1.5h3l1-1.5H14" />
  </Icon>
);

export const UserIcon = () => (
  <Icon>
    <circle cx="8" cy="5.5" r="2.5" />
    <path d="M3 13.5c.6-2.4 2.6-3.8 5-3.8s4.4 1.4 5 3.8" />
  </Icon>
);

export const UnassignedIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="5.5" strokeDasharray="2.2 2" />
  </Icon>
);

export const OpenIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="5.5" />
  </Icon>
);

export const PendingIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="5.5" />
    <path d="M8 5v3.2l2 1.3" />
  </Icon>
);

export const SnoozeIcon = () => (
  <Icon>
    <path d="M13 9.6A5.5 5.5 0 1 1 6.4 3a4.5 4.5 0 0 0 6.6 6.6z" />
  </Icon>
);

export const ClosedIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="5.5" />
    <path d="m5.6 8.1 1.7 1.7 3.2-3.4" />
  </Icon>
);

/** Machine mail (newsletters, auto-replies, bounces): a small robot head. */
export const AutomatedIcon = () => (
  <Icon>
    <rect x="3" y="5" width="10" height="8" rx="2" />
    <path d="M8 5V2.8M6 8.5v.5M10 8.5v.5M6.5 11h3" />
  </Icon>
);

export const MailboxIcon = () => (
  <Icon>
    <rect x="2" y="3.5" width="12" height="9" rx="1.2" />
    <path d="m2.5 4.5 5.5 4 5.5-4" />
  </Icon>
);

export const AllMailIcon = () => (
  <Icon>
    <rect x="2" y="4.5" width="10.5" height="8" rx="1.2" />
    <path d="M4.5 2.5H13a1 1 0 0 1 1 1V10" />
    <path d="m2.5 5.5 4.75 3.5 4.75-3.5" />
  </Icon>
);

export const SearchIcon = () => (
  <Icon size={14}>
    <circle cx="7" cy="7" r="4.5" />
    <path d="m10.5 10.5 3 3" />
  </Icon>
);

export const AlertIcon = () => (
  <Icon size={14}>
    <circle cx="8" cy="8" r="6" />
    <path d="M8 4.8v3.7" />
    <path d="M8 11h.01" strokeWidth="2" />
  </Icon>
);

export const SignOutIcon = () => (
  <Icon size={14}>
    <path d="M6 13.5H3.5a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1H6" />
    <path d="M10.5 11 13.5 8l-3-3M13.5 8H6" />
  </Icon>
);

export const BackIcon = () => (
  <Icon size={14}>
    <path d="M10 3 5 8l5 5" />
  </Icon>
);

export const SettingsIcon = () => (
  <Icon size={14}>
    <circle cx="8" cy="8" r="2" />
    <path d="M8 1.8v1.6M8 12.6v1.6M14.2 8h-1.6M3.4 8H1.8M12.4 3.6l-1.1 1.1M4.7 11.3l-1.1 1.1M12.4 12.4l-1.1-1.1M4.7 4.7 3.6 3.6" />
    <circle cx="8" cy="8" r="4.4" />
  </Icon>
);

export const MenuIcon = () => (
  <Icon size={20}>
    <path d="M2 4h12M2 8h12M2 12h12" />
  </Icon>
);
