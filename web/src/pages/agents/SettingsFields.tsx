import { Field, fieldAria } from "../../components/forms/Field";
import { settingLabel, settingRange, settingStep, settingUnit, type SettingSpec } from "./settingsSchema";

interface SettingsFieldsProps {
  specs: SettingSpec[];
  values: Record<string, string | boolean>;
  onChange: (name: string, value: string | boolean) => void;
  errorFor: (pointer: string) => string | undefined;
}

/** The agent's settings, each with its unit, valid range and default as the server's OpenAPI document states. */
export function SettingsFields({ specs, values, onChange, errorFor }: SettingsFieldsProps) {
  return (
    <div className="settings-grid">
      {specs.map((spec) => {
        const id = `setting-${spec.name}`;
        const error = errorFor(`/settings/${spec.name}`);
        const value = values[spec.name];
        if (spec.type === "boolean") {
          return (
            <div className="form-field setting-boolean" key={spec.name}>
              <label htmlFor={id} className="checkbox-label">
                <input
                  type="checkbox"
                  {...fieldAria(id, error, Boolean(spec.description))}
                  checked={value === true}
                  onChange={(event) => onChange(spec.name, event.target.checked)}
                />{" "}
                {settingLabel(spec.name)}
              </label>
              {spec.description && (
                <div className="hint" id={`${id}-hint`}>
                  {spec.description}
                  {spec.default !== undefined && ` Default: ${spec.default ? "on" : "off"}.`}
                </div>
              )}
              {error && (
                <div className="field-error" id={`${id}-error`}>
                  {error}
                </div>
              )}
            </div>
          );
        }
        const unit = settingUnit(spec.name);
        const range = settingRange(spec);
        const hint = [
          spec.description,
          range && `Range ${range}.`,
          spec.default !== undefined && `Default ${spec.default}${unit ? ` ${unit}` : ""}.`,
        ]
          .filter(Boolean)
          .join(" ");
        return (
          <Field
            key={spec.name}
            id={id}
            label={
              <>
                {settingLabel(spec.name)}
                {unit && <span className="unit"> ({unit})</span>}
              </>
            }
            hint={hint}
            error={error}
          >
            <input
              type="number"
              {...fieldAria(id, error, Boolean(hint))}
              min={spec.minimum}
              max={spec.maximum}
              step={settingStep(spec)}
              value={typeof value === "string" ? value : ""}
              onChange={(event) => onChange(spec.name, event.target.value)}
            />
          </Field>
        );
      })}
    </div>
  );
}
