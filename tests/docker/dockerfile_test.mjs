// Checks deploy/docker/Dockerfile without a container runtime: dockerfile-utils (the parser and
// validator behind the VS Code Docker extension) must find nothing wrong, and the conventions of
// well-kept images must hold: every base pinned by digest, OCI labels, multi-arch build
// arguments, dependency layers before the source, only the binary's sources copied (and let
// through by the .dockerignore), a non-root numeric user, a state folder it owns, documented
// `docker build` and `docker run` lines.
//
//   node dockerfile_test.mjs DOCKERFILE [DOCKERIGNORE]            fails on any finding
//   node dockerfile_test.mjs --expect EXPECTED DOCKERFILE [...]    passes when the findings are
//                                                                  exactly EXPECTED's lines
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expectArgument, report } from '../node/findings.mjs';

const nodeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../node');
const require = createRequire(path.join(nodeDir, 'package.json'));
const { DockerfileParser } = require('dockerfile-ast');
const { validate } = require('dockerfile-utils');

const STATE_DIR = '/var/lib/x-engagement-exporter';
const RUNTIME_USER = '65534';
const OCI_LABELS = ['title', 'description', 'version', 'revision', 'created', 'source',
  'base.name'].map((name) => `org.opencontainers.image.${name}`);

// ${NAME} and $NAME replaced by the defaults of the ARGs declared before the first FROM.
function expand(text, globals) {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (all, a, b) => globals.get(a ?? b) ?? all);
}

// .dockerignore semantics enough for an allow-list: later patterns win, "!" lets a path through.
function ignored(source, patterns) {
  const clean = source.replace(/^\.\//, '').replace(/\/$/, '');
  let result = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/\/$/, '');
    const regex = new RegExp('^' + pattern.split('*').map((part) =>
      part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '(/.*)?$');
    if (regex.test(clean)) result = !negated;
  }
  return result;
}

function stagesOf(dockerfile) {
  const stages = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') stages.push({ from: instruction, instructions: [] });
    else if (stages.length > 0) stages[stages.length - 1].instructions.push(instruction);
  }
  return stages;
}

function check(content, ignorePatterns) {
  const findings = [];
  const line = (instruction) => instruction.getRange().start.line + 1;
  for (const diagnostic of validate(content)) {
    findings.push(`line ${diagnostic.range.start.line + 1}: dockerfile-utils: ${diagnostic.message}`);
  }
  const dockerfile = DockerfileParser.parse(content);
  const globals = new Map();
  for (const arg of dockerfile.getInstructions()) {
    if (arg.getKeyword() === 'FROM') break;
    if (arg.getKeyword() !== 'ARG') continue;
    const [name, ...value] = arg.getArgumentsContent().split('=');
    globals.set(name, value.join('='));
  }
  const stages = stagesOf(dockerfile);
  const comments = dockerfile.getComments().map((c) => c.getContent()).join('\n');
  for (const command of ['docker build', 'docker run']) {
    if (!new RegExp(command.replace(' ', '( buildx)? ') + ' ').test(comments)) {
      findings.push(`comments: document a \`${command}\` line`);
    }
  }
  const stageNames = new Set(stages.map((s) => s.from.getBuildStage()).filter(Boolean));
  for (const { from, instructions } of stages) {
    const image = expand(from.getImage(), globals);
    if (!stageNames.has(image) && !/^[^@\s]+:[^@\s]+@sha256:[0-9a-f]{64}$/.test(image)) {
      findings.push(`line ${line(from)}: FROM ${image}: pin the base by tag and @sha256 digest`);
    }
    const args = new Set(instructions.filter((i) => i.getKeyword() === 'ARG')
      .map((i) => i.getArgumentsContent().split('=')[0]));
    if (!args.has('TARGETARCH')) {
      findings.push(`line ${line(from)}: stage declares no ARG TARGETARCH (multi-arch caches)`);
    }
    let copied = false;
    for (const instruction of instructions) {
      const keyword = instruction.getKeyword();
      if (keyword === 'COPY' || keyword === 'ADD') {
        const fromStage = keyword === 'COPY' && instruction.getFromFlag();
        const sources = instruction.getArguments().slice(0, -1).map((a) => a.getValue());
        if (!fromStage) copied = true;
        for (const source of fromStage ? [] : sources) {
          if (source === '.' || source === './') {
            findings.push(`line ${line(instruction)}: ${keyword} ${source}: copy only what the ` +
                          'build needs, so other edits keep the layer cache');
          } else if (ignorePatterns && ignored(source, ignorePatterns)) {
            findings.push(`line ${line(instruction)}: ${keyword} ${source}: excluded by the ` +
                          '.dockerignore');
          }
        }
      }
      if (keyword === 'RUN' && /apt-get install/.test(instruction.getTextContent()) && copied) {
        findings.push(`line ${line(instruction)}: apt-get install after a COPY: install ` +
                      'dependencies first so source edits keep that layer');
      }
    }
  }
  const runtime = stages[stages.length - 1];
  const labels = new Map();
  for (const instruction of runtime?.instructions ?? []) {
    if (instruction.getKeyword() !== 'LABEL') continue;
    for (const property of instruction.getProperties()) labels.set(property.getName(), property.getValue());
  }
  for (const label of OCI_LABELS) {
    if (!labels.get(label)) findings.push(`runtime stage: LABEL ${label} is missing`);
  }
  const users = (runtime?.instructions ?? []).filter((i) => i.getKeyword() === 'USER');
  const user = users.length ? users[users.length - 1].getArgumentsContent() : '';
  if (!new RegExp(`^${RUNTIME_USER}(:${RUNTIME_USER})?$`).test(user)) {
    findings.push(`runtime stage: USER must be ${RUNTIME_USER}:${RUNTIME_USER} (numeric, non-root), not "${user}"`);
  }
  const runtimeText = (runtime?.instructions ?? []).map((i) => i.getTextContent()).join('\n');
  const owned = new RegExp(`install -d( -m \\d+)? -o ${RUNTIME_USER} -g ${RUNTIME_USER} ${STATE_DIR}\\b`);
  const chowned = new RegExp(`--chown=${RUNTIME_USER}(:${RUNTIME_USER})? \\S+ ${STATE_DIR}\\b`);
  if (!owned.test(runtimeText) && !chowned.test(runtimeText)) {
    findings.push(`runtime stage: create ${STATE_DIR} owned by ${RUNTIME_USER}:${RUNTIME_USER}`);
  }
  return findings;
}

function main(argv) {
  const { expected, rest } = expectArgument(argv);
  const [dockerfilePath, ignorePath] = rest;
  if (!dockerfilePath) throw new Error('usage: dockerfile_test.mjs [--expect FILE] DOCKERFILE [DOCKERIGNORE]');
  const patterns = ignorePath ? fs.readFileSync(ignorePath, 'utf8').split('\n')
    .map((l) => l.trim()).filter((l) => l && !l.startsWith('#')) : null;
  return report(check(fs.readFileSync(dockerfilePath, 'utf8'), patterns), expected, dockerfilePath);
}

process.exitCode = main(process.argv.slice(2));
