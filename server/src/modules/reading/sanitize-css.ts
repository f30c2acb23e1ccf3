import * as csstree from 'css-tree';

/**
 * CSS of a mail (`<style>` blocks, `style=` and SVG paint attributes) made safe, on css-tree's
 * parse tree rather than on the text: names are compared after their escapes are decoded
 * (`u\72l(` is `url(`, `@\69mport` is `@import`), so no spelling slips past, and nothing is
 * cut out of a string that could join into a new word (`@im@importport`). What cannot be
 * parsed is dropped. The result is parsed and rewritten again until it no longer changes.
 *
 * - at-rules: only those that shape layout survive (@media, @supports, @font-face, @keyframes,
 *   @page, @container, @layer); @import, @namespace and unknown ones go;
 * - declarations: `behavior`, `-moz-binding`, custom properties, and any value calling a
 *   function whose name holds `expression` go;
 * - every URL (`url()`, `src()`, the strings of `image-set()` / `cross-fade()` / `image()`)
 *   goes through `rewriteUrl`: replaced by its answer, or by `none` when it answers null.
 */
export type CssContext = 'stylesheet' | 'declarationList' | 'value';
type RewriteUrl = (raw: string) => string | null;

const ALLOWED_AT_RULES = new Set(['media', 'supports', 'font-face', 'keyframes', '-webkit-keyframes', 'page', 'container', 'layer']);
const DROPPED_PROPERTIES = /behaviou?r|binding/;
const URL_FUNCTIONS = new Set(['url', 'src']);
const IMAGE_LIST_FUNCTIONS = new Set(['image-set', '-webkit-image-set', 'cross-fade', '-webkit-cross-fade', 'image', '-webkit-image']);
// A sanitised sheet settles in one or two passes; one that keeps changing is not worth showing.
const MAX_PASSES = 4;

export function sanitizeCss(css: string, context: CssContext, rewriteUrl: RewriteUrl): string {
  let current = css;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = sanitizeCssOnce(current, context, rewriteUrl);
    // A pass that removed, replaced or renamed nothing printed the tree it read: printing is
    // stable, so reading it again finds the same. Only a pass that changed something can have
    // joined pieces into something new.
    if (!next.changed || next.css === current) return next.css;
    current = next.css;
  }
  return '';
}

function sanitizeCssOnce(css: string, context: CssContext, rewriteUrl: RewriteUrl): { css: string; changed: boolean } {
  let changed = false;
  let ast: csstree.CssNode;
  try {
    ast = csstree.parse(css, {
      context,
      parseValue: true,
      parseCustomProperty: false,
      // Selectors and at-rule preludes fetch nothing: kept as text, which saves a third of the time.
      parseRulePrelude: false,
      parseAtrulePrelude: false,
      onParseError: () => {},
    });
  } catch {
    return { css: '', changed: true };
  }
  const unsafeDeclarations = new Set<csstree.Declaration>();
  // Names are printed with their escapes decoded (keywords and function, property and at-rule
  // names also in lower case; identifiers keep their case: animation names are case-sensitive).
  // A name that differs counts as a change.
  const rename = (name: string, lowerCase = true) => {
    const decoded = lowerCase ? csstree.ident.decode(name).toLowerCase() : csstree.ident.decode(name);
    if (decoded !== name) changed = true;
    return decoded;
  };
  let unsafeValue = false;
  const urlOrNone = (raw: string): csstree.CssNode => {
    changed = true;
    const safe = rewriteUrl(raw);
    return safe ? { type: 'Url', value: safe } : { type: 'Identifier', name: 'none' };
  };

  csstree.walk(ast, {
    enter(this: csstree.WalkContext, node: csstree.CssNode, item: csstree.ListItem<csstree.CssNode>, list: csstree.List<csstree.CssNode>) {
      const declaration = this.declaration;
      const dropThis = () => {
        changed = true;
        if (declaration) unsafeDeclarations.add(declaration);
        else if (list && item) list.remove(item);
        else unsafeValue = true;
      };
      switch (node.type) {
        case 'Atrule':
          node.name = rename(node.name);
          // A style attribute holds declarations only: an at-rule there is nothing but a hiding place.
          if ((context !== 'stylesheet' || !ALLOWED_AT_RULES.has(node.name)) && list && item) {
            changed = true;
            list.remove(item);
          }
          return;
        case 'Raw':
          // Selectors and at-rule preludes are kept as text (they fetch nothing; see the parse
          // options); any other text the parser could not read is never passed on.
          if (list || declaration) dropThis();
          return;
        case 'Declaration': {
          const property = node.property.startsWith('--') ? node.property : rename(node.property);
          node.property = property;
          if (property.startsWith('--') || DROPPED_PROPERTIES.test(property) || node.value.type === 'Raw') {
            changed = true;
            unsafeDeclarations.add(node);
          }
          return;
        }
        case 'Identifier':
          node.name = rename(node.name, false);
          return;
        case 'Url':
          if (list && item) list.replace(item, list.createItem(urlOrNone(node.value)));
          else dropThis();
          return;
        case 'Function': {
          const name = rename(node.name);
          node.name = name;
          if (name.includes('expression')) {
            dropThis();
            return;
          }
          if (URL_FUNCTIONS.has(name)) {
            const first = node.children.first;
            const raw = first?.type === 'String' ? first.value : null;
            if (raw !== null && list && item) list.replace(item, list.createItem(urlOrNone(raw)));
            else dropThis();
            return;
          }
          if (IMAGE_LIST_FUNCTIONS.has(name)) {
            node.children.forEach((child, childItem, children) => {
              if (child.type === 'String') children.replace(childItem, children.createItem(urlOrNone(child.value)));
            });
          }
          return;
        }
      }
    },
  });
  if (unsafeValue) return { css: '', changed: true };
  if (unsafeDeclarations.size > 0) {
    csstree.walk(ast, {
      visit: 'Declaration',
      enter(node, item, list) {
        if (unsafeDeclarations.has(node) && list && item) list.remove(item);
      },
    });
  }
  return { css: csstree.generate(ast), changed };
}
