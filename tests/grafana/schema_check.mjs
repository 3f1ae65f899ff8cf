// Checks dashboards against Grafana's own definitions rather than ours: every panel, variable
// and dashboard header is type-checked by the TypeScript compiler against the types of
// @grafana/schema (options and field config per panel type, enums as their string values,
// unknown keys rejected), and every unit must be one of the units @grafana/data lists.
//
//   node schema_check.mjs FILE.json...                 prints findings, fails when there are any
//   node schema_check.mjs --expect EXPECTED FILE.json  passes when the findings are exactly the
//                                                      lines of EXPECTED (a negative fixture)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expectArgument, report } from '../node/findings.mjs';

const nodeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../node');
const require = createRequire(path.join(nodeDir, 'package.json'));
const ts = require('typescript');
// @grafana/data formats dates with the browser's locale when it builds the unit list.
globalThis.navigator ??= { language: 'en-US', languages: ['en-US'] };
const grafanaData = require('@grafana/data');

// Panel type -> the module of @grafana/schema with its Options and FieldConfig (custom) types.
const panelModules = {
  stat: ['StatPanelCfg', 'stat'],
  bargauge: ['BarGaugePanelCfg', 'bargauge'],
  table: ['TablePanelCfg', 'table'],
  timeseries: ['TimeSeriesPanelCfg', 'timeseries'],
};
const customFieldConfig = { table: true, timeseries: true };

// Grafana merges saved options over each panel's defaults, so options may be partial; string
// enums are compared by value because JSON holds their values, not TypeScript's enum members.
const prelude = `
import type * as S from '@grafana/schema';
${Object.entries(panelModules)
  .map(([type, [name, dir]]) =>
    `import type * as P_${type} from '@grafana/schema/dist/esm/raw/composable/${dir}/panelcfg/x/${name}_types.gen';`)
  .join('\n')}
type Loose<T> = T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T
  : T extends ReadonlyArray<infer U> ? Array<Loose<U>> : T extends object ? { [K in keyof T]?: Loose<T[K]> } : T;
type Exact<T> = T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T
  : T extends ReadonlyArray<infer U> ? Array<Exact<U>> : T extends object ? { [K in keyof T]: Exact<T[K]> } : T;
type Defaults<F> = Exact<Omit<S.FieldConfig, 'custom'>> & { custom?: Loose<F> };
type TypedPanel<O, F> = Exact<Omit<S.Panel, 'options' | 'fieldConfig' | 'targets'>> & {
  options?: Loose<O>;
  fieldConfig?: { defaults: Defaults<F>; overrides: Exact<S.FieldConfigSource['overrides']> };
  targets?: Array<Exact<S.DataQuery> & { expr?: string; legendFormat?: string; range?: boolean;
    instant?: boolean; format?: string; interval?: string; intervalFactor?: number }>;
};
type Row = Exact<Omit<S.RowPanel, 'panels'>> & { panels: unknown[] };
// Grafana saves a query variable's PromQL twice: query and definition (the editor's text).
type Variable = Exact<S.VariableModel> & { definition?: string };
type Header = Exact<Omit<S.Dashboard, 'panels' | 'templating'>> & { panels: unknown[];
  templating: { list: unknown[] } };
`;

function panelsOf(dashboard) {
  const panels = [];
  for (const panel of dashboard.panels ?? []) {
    panels.push(panel);
    for (const inner of panel.panels ?? []) panels.push(inner);
  }
  return panels;
}

// One declaration per checked object, so a compiler diagnostic maps back to a panel or variable.
function declarations(file, dashboard) {
  const name = path.basename(file);
  const out = [];
  const header = { ...dashboard, panels: [], templating: { list: [] } };
  out.push({ where: `${name}: dashboard`, type: 'Header', value: header });
  for (const variable of dashboard.templating?.list ?? []) {
    out.push({ where: `${name}: variable "${variable.name}"`, type: 'Variable', value: variable });
  }
  for (const panel of panelsOf(dashboard)) {
    const where = `${name}: panel "${panel.title}"`;
    if (panel.type === 'row') {
      out.push({ where, type: 'Row', value: { ...panel, panels: [] } });
    } else if (panelModules[panel.type]) {
      const custom = customFieldConfig[panel.type] ? `P_${panel.type}.FieldConfig` : '{}';
      out.push({ where, type: `TypedPanel<P_${panel.type}.Options, ${custom}>`, value: panel });
    } else {
      out.push({ where, error: `panel type "${panel.type}" has no types here: add it to panelModules` });
    }
  }
  return out;
}

function typeFindings(checked) {
  let source = prelude;
  const spans = [];
  checked.forEach((item, index) => {
    if (item.error) return;
    const start = source.length;
    source += `export const v${index}: ${item.type} = ${JSON.stringify(item.value, null, 1)};\n`;
    spans.push({ start, end: source.length, where: item.where });
  });
  // The generated file lives (virtually) in tests/node so that @grafana/schema resolves from there.
  const fileName = path.join(nodeDir, '__dashboards__.ts');
  const options = { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022 };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (f === fileName ? source : readFile(f));
  host.fileExists = ((exists) => (f) => f === fileName || exists(f))(host.fileExists.bind(host));
  host.getSourceFile = (f, language) =>
    f === fileName ? ts.createSourceFile(f, source, language, true) : getSourceFile(f, language);
  const program = ts.createProgram([fileName], options, host);
  const findings = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (diagnostic.file?.fileName !== fileName) {
      findings.push(`typescript: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`);
      continue;
    }
    const span = spans.find((s) => diagnostic.start >= s.start && diagnostic.start < s.end);
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    // The innermost reason is the useful one; the outer chain repeats the whole type.
    const chain = message.split(/\s{2,}|(?<=\.) (?=Type |Object literal|Property )/);
    // Union members print in the compiler's creation order; sorted, findings are stable.
    const reason = chain[chain.length - 1].replace(/\s+/g, ' ').replace(/to type '([^']*)'/,
      (_, union) => `to type '${union.split(' | ').sort().join(' | ')}'`);
    const key = source.slice(diagnostic.start, diagnostic.start + diagnostic.length)
      .split('\n')[0].slice(0, 40);
    findings.push(`${span ? span.where : 'prelude'}: ${key}: ${reason}`);
  }
  return findings;
}

function unitFindings(file, dashboard, units) {
  const findings = [];
  for (const panel of panelsOf(dashboard)) {
    const unit = panel.fieldConfig?.defaults?.unit;
    if (unit !== undefined && !units.has(unit)) {
      findings.push(`${path.basename(file)}: panel "${panel.title}": unit "${unit}" is not a Grafana unit`);
    }
  }
  return findings;
}

function main(argv) {
  const { expected, rest } = expectArgument(argv);
  if (rest.length === 0) throw new Error('usage: schema_check.mjs [--expect FILE] DASHBOARD.json...');
  const units = new Set(grafanaData.getValueFormats().flatMap((c) => c.submenu.map((u) => u.value)));
  const checked = [];
  const findings = [];
  for (const file of rest) {
    const dashboard = JSON.parse(fs.readFileSync(file, 'utf8'));
    checked.push(...declarations(file, dashboard));
    findings.push(...unitFindings(file, dashboard, units));
  }
  findings.push(...checked.filter((c) => c.error).map((c) => `${c.where}: ${c.error}`));
  findings.push(...typeFindings(checked));
  findings.sort();
  return report(findings, expected,
                `${rest.length} dashboards, ${checked.length} panels, variables and headers`);
}

process.exitCode = main(process.argv.slice(2));
