import { Icon } from '../../ui/icons';

// Icons only the admin screens use: they ship in the settings chunk, not the inbox bundle.

export const PlusIcon = () => (
  <Icon size={14}>
    <path d="M8 3v10M3 8h10" />
  </Icon>
);

export const CheckIcon = () => (
  <Icon size={14}>
    <path d="m3.5 8.3 2.9 2.9 6.1-6.4" strokeWidth="1.8" />
  </Icon>
);

export const CrossIcon = () => (
  <Icon size={14}>
    <path d="m4 4 8 8M12 4l-8 8" strokeWidth="1.8" />
  </Icon>
);
