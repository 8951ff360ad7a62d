import type { Model, ModelStatic } from 'sequelize';

/** Capture's field selection, as `CaptureOptions` states it. */
export interface FieldSelection {
  only?: readonly string[] | undefined;
  exclude?: readonly string[] | undefined;
}

/**
 * The model's timestamp and version attributes: Sequelize sets them on every write, so a diff
 * holding only them says nothing happened. They are tracked only when `only` names them.
 */
function bookkeeping(model: ModelStatic<Model>): string[] {
  const m = model as unknown as {
    _timestampAttributes: Record<string, string | undefined>;
    _versionAttribute?: string | false;
  };
  const names = Object.values(m._timestampAttributes).filter((n): n is string => !!n);
  if (m._versionAttribute) names.push(m._versionAttribute);
  return names;
}

/** The stored attributes of `model` that capture reads: `only`, else all but `exclude`. */
export function trackedAttributes(model: ModelStatic<Model>, fields: FieldSelection): string[] {
  const virtual = (model as unknown as { _virtualAttributes: Set<string> })._virtualAttributes;
  const stored = Object.keys(model.rawAttributes).filter((name) => !virtual.has(name));
  if (fields.only) return stored.filter((name) => fields.only?.includes(name));
  const skip = new Set([...(fields.exclude ?? []), ...bookkeeping(model)]);
  return stored.filter((name) => !skip.has(name));
}

/** `exclude` widened by the bookkeeping attributes, unless `only` picks the fields. */
export function excludedAttributes(
  model: ModelStatic<Model>,
  fields: FieldSelection,
): string[] | undefined {
  if (fields.only) return fields.exclude ? [...fields.exclude] : undefined;
  return [...new Set([...(fields.exclude ?? []), ...bookkeeping(model)])];
}
