// Validates what the Helm chart renders with tools the project did not write, plus the checks
// the API server and prometheus-operator make that those schemas do not:
//
//   node validate.mjs manifests [--expect FILE] DIR...
//       every object under each rendered DIR against kubernetes-models (the Kubernetes OpenAPI
//       schemas) or @kubernetes-models/prometheus-operator (the CRDs' schemas); names, label
//       and annotation keys and values, ConfigMap keys and image references as the API server
//       checks them; scrapeTimeout <= interval as prometheus-operator checks it; and that the
//       pod's labels, the Deployment, Service, ServiceMonitor and NetworkPolicy selectors and the
//       alerts' job matchers agree.
//   node validate.mjs values [--expect FILE] CHART [VALUES.yaml...]
//       the chart's values.yaml coalesced with the files, as Helm does, against
//       values.schema.json (Ajv, JSON Schema draft 7 as Helm reads it).
//   node validate.mjs readme [--expect FILE] CHART
//       every value of values.yaml is a row of the README's values table and of the schema, and
//       every row names a value that exists.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expectArgument, report } from '../node/findings.mjs';

const nodeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../node');
const require = createRequire(path.join(nodeDir, 'package.json'));
const yaml = require('js-yaml');
const Ajv = require('ajv');

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
// github.com/distribution/reference: [domain/]path[:tag][@digest]
const IMAGE_REFERENCE = new RegExp('^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)' +
  '(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?' +
  '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*' +
  '(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$');
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_MS = [365 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3, 1];

// apiVersion/kind -> the module whose class validates it.
function modelModule(apiVersion, kind) {
  if (apiVersion === 'monitoring.coreos.com/v1') {
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}.js`;
  }
  return `kubernetes-models/${apiVersion}/${kind}.js`;
}

async function modelFindings(object, where) {
  const file = path.join(nodeDir, 'node_modules', modelModule(object.apiVersion, object.kind));
  if (!fs.existsSync(file)) return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
  const module = await import(pathToFileURL(file).href);
  try {
    new module[object.kind](object).validate();
    return [];
  } catch (error) {
    return String(error.message).split('\n').filter(Boolean).map((line) => `${where}: schema: ${line.trim()}`);
  }
}

function durationMs(text) {
  const match = typeof text === 'string' && text !== '' ? DURATION.exec(text) : null;
  if (!match) return null;
  return match.slice(1).reduce((sum, n, i) => sum + (n ? Number(n) * DURATION_MS[i] : 0), 0);
}

function keyFindings(key, where, what) {
  const [prefix, name] = key.includes('/') ? key.split(/\/(.*)/s) : [null, key];
  const ok = (prefix === null || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix))) &&
    name.length <= 63 && QUALIFIED_NAME.test(name);
  return ok ? [] : [`${where}: ${what} key "${key}" is not a qualified name`];
}

// What the API server refuses that the OpenAPI schemas let through.
function apiServerFindings(object, where) {
  const findings = [];
  const { name, labels = {}, annotations = {}, namespace } = object.metadata ?? {};
  const nameRule = object.kind === 'Service' ? DNS_LABEL : DNS_SUBDOMAIN;
  const maxName = object.kind === 'Service' ? 63 : 253;
  if (typeof name !== 'string' || name.length > maxName || !nameRule.test(name)) {
    findings.push(`${where}: name "${name}" is not a valid ${object.kind} name`);
  }
  if (namespace !== undefined && (typeof namespace !== 'string' || !DNS_LABEL.test(namespace))) {
    findings.push(`${where}: namespace "${namespace}" is not a DNS label`);
  }
  const labelSets = [[labels, 'label']];
  if (object.kind === 'Deployment') labelSets.push([object.spec?.template?.metadata?.labels ?? {}, 'pod label']);
  for (const [set, what] of labelSets) {
    for (const [key, value] of Object.entries(set)) {
      findings.push(...keyFindings(key, where, what));
      if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
        findings.push(`${where}: ${what} ${key}=${JSON.stringify(value)} is not a valid label value`);
      }
    }
  }
  for (const key of Object.keys(annotations)) findings.push(...keyFindings(key, where, 'annotation'));
  if (object.kind === 'ConfigMap' || object.kind === 'Secret') {
    for (const key of [...Object.keys(object.data ?? {}), ...Object.keys(object.binaryData ?? {})]) {
      if (key.length > 253 || !CONFIG_KEY.test(key)) findings.push(`${where}: data key "${key}" is not a valid ${object.kind} key`);
    }
  }
  const pod = object.spec?.template?.spec;
  for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
    if (typeof container.image !== 'string' || !IMAGE_REFERENCE.test(container.image)) {
      findings.push(`${where}: container ${container.name}: image "${container.image}" is not a valid reference`);
    }
  }
  return findings;
}

function operatorFindings(object, where) {
  const findings = [];
  if (object.kind !== 'ServiceMonitor') return findings;
  (object.spec?.endpoints ?? []).forEach((endpoint, index) => {
    for (const key of ['interval', 'scrapeTimeout']) {
      if (key in endpoint && durationMs(endpoint[key]) === null) {
        findings.push(`${where}: endpoint ${index}: ${key} ${JSON.stringify(endpoint[key])} is not a Prometheus duration`);
      }
    }
    const interval = durationMs(endpoint.interval);
    const timeout = durationMs(endpoint.scrapeTimeout);
    if (interval !== null && timeout !== null && timeout > interval) {
      findings.push(`${where}: endpoint ${index}: scrapeTimeout ${endpoint.scrapeTimeout} is above ` +
                    `interval ${endpoint.interval} (prometheus-operator drops the endpoint)`);
    }
  });
  return findings;
}

function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}

// The pod, its Deployment, Service, ServiceMonitor, NetworkPolicy and the alerts' job matchers.
function agreementFindings(objects) {
  const findings = [];
  const of = (kind) => objects.filter((o) => o.object.kind === kind);
  const deployments = of('Deployment');
  for (const { object, where } of deployments) {
    if (!matches(object.spec?.selector?.matchLabels, object.spec?.template?.metadata?.labels)) {
      findings.push(`${where}: spec.selector does not match the pod template's labels`);
    }
  }
  const pods = deployments.map((d) => d.object.spec?.template);
  for (const { object, where } of of('Service')) {
    if (!pods.some((pod) => matches(object.spec?.selector, pod?.metadata?.labels))) {
      findings.push(`${where}: spec.selector matches no rendered pod`);
    }
  }
  const jobs = [];
  for (const { object, where } of of('ServiceMonitor')) {
    const services = of('Service').filter((s) => matches(object.spec?.selector?.matchLabels, s.object.metadata?.labels) &&
      (object.spec?.namespaceSelector?.any || (object.spec?.namespaceSelector?.matchNames ??
        [object.metadata?.namespace]).includes(s.object.metadata?.namespace)));
    if (services.length === 0) {
      findings.push(`${where}: selects no rendered Service`);
      continue;
    }
    for (const { object: service } of services) {
      const ports = (service.spec?.ports ?? []).map((p) => p.name);
      for (const endpoint of object.spec?.endpoints ?? []) {
        if (!ports.includes(endpoint.port)) findings.push(`${where}: endpoint port "${endpoint.port}" is not a port of Service ${service.metadata.name}`);
      }
      const jobLabel = object.spec?.jobLabel;
      jobs.push(jobLabel ? service.metadata?.labels?.[jobLabel] ?? service.metadata.name : service.metadata.name);
    }
  }
  for (const { object, where } of of('NetworkPolicy')) {
    if (!pods.some((pod) => matches(object.spec?.podSelector?.matchLabels, pod?.metadata?.labels))) {
      findings.push(`${where}: spec.podSelector matches no rendered pod`);
    }
  }
  for (const { object, where } of of('PrometheusRule')) {
    for (const group of object.spec?.groups ?? []) {
      for (const rule of group.rules ?? []) {
        for (const [, op, value] of String(rule.expr).matchAll(/\bjob\s*(=~|=)\s*"([^"]*)"/g)) {
          const anchored = new RegExp(`^(?:${op === '=~' ? value : value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})$`);
          for (const job of jobs) {
            if (!anchored.test(job)) {
              findings.push(`${where}: ${rule.alert ?? rule.record}: job${op}"${value}" does not match the job "${job}" the ServiceMonitor gives`);
            }
          }
        }
      }
    }
  }
  return findings;
}

function readRendered(dir) {
  const files = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.yaml')) files.push(full);
    }
  };
  walk(dir);
  const objects = [];
  for (const file of files.sort()) {
    for (const object of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
      if (object === null || object === undefined) continue;
      const where = `${path.basename(dir)}/${path.relative(dir, file)}: ${object.kind} ${object.metadata?.name}`;
      objects.push({ object, where });
    }
  }
  return objects;
}

async function manifests(dirs) {
  const findings = [];
  let count = 0;
  for (const dir of dirs) {
    const objects = readRendered(dir);
    count += objects.length;
    for (const { object, where } of objects) {
      findings.push(...await modelFindings(object, where));
      findings.push(...apiServerFindings(object, where));
      findings.push(...operatorFindings(object, where));
    }
    findings.push(...agreementFindings(objects));
  }
  return { findings, summary: `${dirs.length} renderings, ${count} objects` };
}

// Helm's coalescing of values files: maps merge key by key, null deletes, anything else replaces.
function coalesce(base, override) {
  for (const [key, value] of Object.entries(override ?? {})) {
    if (value === null) delete base[key];
    else if (isMap(value) && isMap(base[key])) coalesce(base[key], value);
    else base[key] = value;
  }
  return base;
}
const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function loadYaml(file) {
  return yaml.load(fs.readFileSync(file, 'utf8')) ?? {};
}

function values(chart, files) {
  const schema = JSON.parse(fs.readFileSync(path.join(chart, 'values.schema.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  let merged = loadYaml(path.join(chart, 'values.yaml'));
  for (const file of files) merged = coalesce(merged, loadYaml(file));
  const label = files.length ? files.map((f) => path.basename(f)).join('+') : 'values.yaml';
  const findings = validate(merged) ? [] : validate.errors.map((e) =>
    `${label}: ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` "${e.params.additionalProperty}"` : ''}` +
    `${e.params?.propertyName ? ` ("${e.params.propertyName}")` : ''}`);
  return { findings: [...new Set(findings)], summary: `${label} against values.schema.json` };
}

// Dotted paths of every value; maps documented as a whole (empty by default) stop there.
function leafPaths(value, prefix = '') {
  if (!isMap(value) || Object.keys(value).length === 0) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => leafPaths(inner, prefix ? `${prefix}.${key}` : key));
}

function readme(chart) {
  const readmeText = fs.readFileSync(path.join(chart, 'README.md'), 'utf8');
  // The rows of the table under "## Values", up to the next heading.
  const text = (readmeText.split(/^## Values$/m)[1] ?? '').split(/^## /m)[0];
  const rows = new Set([...text.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));
  const schema = JSON.parse(fs.readFileSync(path.join(chart, 'values.schema.json'), 'utf8'));
  const paths = leafPaths(loadYaml(path.join(chart, 'values.yaml')));
  const findings = [];
  for (const p of paths) {
    // A row may document a whole map ("config", "serviceMonitor.labels") or the leaf itself.
    const parts = p.split('.');
    if (!parts.some((_, i) => rows.has(parts.slice(0, i + 1).join('.')))) {
      findings.push(`README.md: value ${p} has no row in the values table`);
    }
    // The schema may describe a free-form object (resources, probes) as a whole.
    let node = schema;
    for (const part of parts) {
      if (node && node !== schema && !node.properties && node.description) break;
      node = node?.properties?.[part];
    }
    if (!node) findings.push(`values.schema.json: value ${p} is not described`);
    else if (!node.description) findings.push(`values.schema.json: value ${p} has no description`);
  }
  for (const row of rows) {
    let node = loadYaml(path.join(chart, 'values.yaml'));
    for (const part of row.split('.')) node = isMap(node) && part in node ? node[part] : undefined;
    if (node === undefined) findings.push(`README.md: row ${row} names no value of values.yaml`);
  }
  return { findings, summary: `${paths.length} values, ${rows.size} README rows` };
}

async function main(argv) {
  const [command, ...rest] = argv;
  const { expected, rest: args } = expectArgument(rest);
  let result;
  if (command === 'manifests') result = await manifests(args);
  else if (command === 'values') result = values(args[0], args.slice(1));
  else if (command === 'readme') result = readme(args[0]);
  else throw new Error('usage: validate.mjs manifests|values|readme [--expect FILE] ...');
  return report(result.findings.sort(), expected, result.summary);
}

process.exitCode = await main(process.argv.slice(2));
