import { z } from 'zod';

import { bool, choice, content, type InputsOf, list, optionalText, pattern, text } from '../core/inputs.js';

/** Newline-separated entries (tag rules and key=value lines contain commas, so commas do not split). */
function lines() {
  return content().transform((v) =>
    (v ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
}

export const imageInputs = {
  builder: choice(['auto', 'docker', 'buildah', 'podman'] as const, 'auto'),
  context: text('.'),
  file: optionalText(),
  images: lines(),
  tags: lines(),
  flavor: lines(),
  labels: lines(),
  'build-args': lines(),
  secrets: lines(),
  target: optionalText(),
  platforms: list(),
  push: bool(false),
  registry: optionalText(),
  username: optionalText(),
  password: optionalText(),
  'tls-verify': bool(true),
  'cache-from': lines(),
  'cache-to': lines(),
  network: pattern(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a network mode such as host, none or default'),
  'pr-head-sha': bool(false),
  'short-sha-length': text('7'),
  'sep-tags': content(),
  'sep-labels': content(),
  'bake-target': text('docker-metadata-action'),
};

export const imageSchema = z.object(imageInputs);

/** The image action's parsed inputs: what the planner and the build read. */
export type ImageInputs = InputsOf<typeof imageInputs>;
