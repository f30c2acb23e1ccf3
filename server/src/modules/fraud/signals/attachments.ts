import { signal } from '../reasons.js';
import type { AttachmentFacts, FraudSignal } from '../types.js';

export const EXECUTABLE_WEIGHT = 60;
export const ARCHIVE_WITH_RISKY_WEIGHT = 55;
export const DISK_IMAGE_WEIGHT = 45;
export const ENCRYPTED_ARCHIVE_WEIGHT = 40;
export const MACRO_DOCUMENT_WEIGHT = 35;
export const HTML_ATTACHMENT_WEIGHT = 30;

// .bin is firmware, radio samples and data dumps as often as programs: it counts only when its bytes are one (AttachmentFacts.program).
// mobileconfig: an Apple profile installs certificates, VPNs and mail accounts; xll/one/iqy/appref-ms run code from Office or a click.
const EXECUTABLE = new Set(
  'exe scr com pif bat cmd msi msp jar vbs vbe js jse wsf wsh ps1 psm1 hta lnk cpl reg apk app dll sys sh run url scf inf gadget chm mobileconfig xll one iqy slk appref-ms library-ms settingcontent-ms application pkg mpkg command desktop'.split(
    ' ',
  ),
);
const MACRO_DOCUMENT = new Set('docm dotm xlsm xltm xlam xlsb pptm potm ppam ppsm sldm'.split(' '));
const DISK_IMAGE = new Set('iso img vhd vhdx dmg udf'.split(' '));
const HTML = new Set('html htm shtml xhtml mht mhtml svg'.split(' '));
const ARCHIVE = new Set('zip rar 7z gz tgz tar bz2 xz cab arj ace lzh z r00'.split(' '));

type Kind = 'executable' | 'macro' | 'disk' | 'html' | 'archive' | null;

export function kindOf(filename: string, mime = ''): Kind {
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  if (EXECUTABLE.has(ext) || mime === 'application/x-msdownload' || mime === 'application/x-dosexec') return 'executable';
  if (MACRO_DOCUMENT.has(ext) || mime.includes('macroenabled')) return 'macro';
  if (DISK_IMAGE.has(ext) || mime === 'application/x-iso9660-image') return 'disk';
  if (HTML.has(ext) || (mime === 'text/html' && !filename.includes('.'))) return 'html';
  if (ARCHIVE.has(ext)) return 'archive';
  return null;
}

/**
 * Attachments that run code or fake a login page: HTML/HTM (phishing forms), executables and
 * scripts, macro documents, disk images (they bypass "downloaded from the internet" marks),
 * ZIPs containing any of those, and encrypted archives (the password in the mail defeats scanning).
 */
export function attachmentSignals(attachments: AttachmentFacts[]): FraudSignal[] {
  const signals: FraudSignal[] = [];
  for (const a of attachments) {
    const name = a.filename || '(unnamed)';
    const kind = a.program ? 'executable' : kindOf(a.filename, a.mime.toLowerCase());
    if (a.archive?.encrypted) {
      signals.push(
        signal(
          'encrypted_archive',
          ENCRYPTED_ARCHIVE_WEIGHT,
          `The attachment ${name} is a password-protected archive: it cannot be checked for harmful files.`,
          `附件 ${name} 是加密压缩包，无法检查其中是否有恶意文件。`,
        ),
      );
      continue;
    }
    const risky = (a.archive?.entries ?? []).filter((e) => {
      const k = kindOf(e);
      return k !== null && k !== 'archive';
    });
    if (risky.length > 0) {
      signals.push(
        signal(
          'archive_with_risky_file',
          ARCHIVE_WITH_RISKY_WEIGHT,
          `The archive ${name} contains ${risky.slice(0, 3).join(', ')}: files that can run programs or fake a login page. Do not open them.`,
          `压缩包 ${name} 里有 ${risky.slice(0, 3).join('、')}：这类文件可以运行程序或伪造登录页面，请勿打开。`,
        ),
      );
      continue;
    }
    if (kind === 'executable') {
      signals.push(
        signal(
          'executable_attachment',
          EXECUTABLE_WEIGHT,
          `The attachment ${name} is a program or script. Trade documents are never programs: do not open it.`,
          `附件 ${name} 是程序或脚本。正常的贸易单据不会是程序：请勿打开。`,
        ),
      );
    } else if (kind === 'macro') {
      signals.push(
        signal(
          'macro_document',
          MACRO_DOCUMENT_WEIGHT,
          `The attachment ${name} is an Office document with macros, which can run programs when opened.`,
          `附件 ${name} 是带宏的 Office 文档，打开时可能运行程序。`,
        ),
      );
    } else if (kind === 'disk') {
      signals.push(
        signal(
          'disk_image',
          DISK_IMAGE_WEIGHT,
          `The attachment ${name} is a disk image, a common way to smuggle programs past security checks.`,
          `附件 ${name} 是磁盘镜像文件，常被用来绕过安全检查夹带程序。`,
        ),
      );
    } else if (kind === 'html') {
      signals.push(
        signal(
          'html_attachment',
          HTML_ATTACHMENT_WEIGHT,
          `The attachment ${name} is a web page; such attachments often show a fake login page to steal passwords.`,
          `附件 ${name} 是网页文件，这类附件常伪造登录页面来盗取密码。`,
        ),
      );
    }
  }
  return signals;
}
