function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function firstSegment(path: unknown): string | null {
  if (Array.isArray(path)) {
    const first = path[0];
    return typeof first === 'string' ? first : null;
  }
  if (typeof path === 'string') {
    // "/email" (JSON pointer, Fastify/Ajv), "body.email" or "email".
    const parts = path.split(/[/.]/).filter((part) => part && part !== 'body');
    return parts[0] ?? null;
  }
  return null;
}

/**
 * The top-level field names a `request.invalid` error points at. The server's `details`
 * shape is not part of the contract, so this accepts the common ones: a list of zod
 * issues (`path: ['email']`), Ajv-style errors (`instancePath: '/email'`), `{ issues }`,
 * zod's flattened `{ fieldErrors }` and treeified `{ properties }`.
 */
export function invalidFields(details: unknown): string[] {
  const fields = new Set<string>();
  const visit = (issue: unknown) => {
    if (!isRecord(issue)) return;
    const field = firstSegment(issue.path ?? issue.instancePath ?? issue.field);
    if (field) fields.add(field);
  };
  if (Array.isArray(details)) {
    details.forEach(visit);
  } else if (isRecord(details)) {
    if (Array.isArray(details.issues)) details.issues.forEach(visit);
    if (Array.isArray(details.validation)) details.validation.forEach(visit);
    for (const key of ['fieldErrors', 'properties'] as const) {
      const group = details[key];
      if (isRecord(group)) for (const name of Object.keys(group)) fields.add(name);
    }
  }
  return [...fields];
}
