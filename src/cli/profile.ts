/**
 * `xmrbench profile`: this machine's roofs (FMA rate, STREAM bandwidth, caches) and each kernel's
 * place under them (src/bench/profile/), written as profile.json, roofline.svg and profile.md;
 * `--compare A.json B.json` puts two machines side by side.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { runProfile } from '../bench/profile/profile.js';
import { checkKernelNames, KERNEL_NAMES } from '../bench/profile/kernels.js';
import { checkProfile, compareProfiles, profileMarkdown, rooflineSvg } from '../bench/profile/render.js';
import { writeFileAtomic } from '../atomic-write.js';

interface ProfileArgs {
  quick: boolean;
  out: string;
  kernels?: string;
  compare?: string[];
  format: 'table' | 'markdown';
}

function readProfile(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new XmrError('E_USAGE', `--compare: ${(e as Error).message}`);
  }
  try {
    return checkProfile(JSON.parse(text), file);
  } catch (e) {
    if (e instanceof XmrError) throw e;
    throw new XmrError('E_USAGE', `not JSON: ${(e as Error).message}`, { file });
  }
}

export const profileCommand: CommandModule<object, ProfileArgs> = {
  command: 'profile',
  describe: "This machine's limits (FMA rate, memory bandwidth, caches) and each kernel's rate as a fraction of its roof",
  builder: (y: Argv) =>
    y
      .option('quick', { type: 'boolean', default: false, describe: 'Smaller problems and shorter probes: under a minute' })
      .option('out', { type: 'string', default: 'profile', describe: 'Folder for profile.json, roofline.svg and profile.md' })
      .option('kernels', { type: 'string', describe: `Comma-separated kernels to run (${KERNEL_NAMES.join(', ')}); default all` })
      .option('compare', { type: 'string', array: true, describe: 'Two profile.json files (A B): print B / A per roof and kernel, run nothing' })
      .option('format', { choices: ['table', 'markdown'] as const, default: 'table' as const, describe: '--compare: table or markdown' })
      .example('$0 profile --quick', 'A one-minute profile into profile/')
      .example('$0 profile --kernels encode-native,encode-onnx,image-native,onnx-image', 'The encoders only: native against onnxruntime-node on the same work')
      .example('$0 profile --compare laptop/profile.json server/profile.json', 'Two machines side by side') as unknown as Argv<ProfileArgs>,
  handler: async (argv) => {
    if (argv.compare !== undefined) {
      if (argv.compare.length !== 2) throw new XmrError('E_USAGE', `--compare takes two profile.json files, got ${argv.compare.length}`);
      process.stdout.write(compareProfiles(readProfile(argv.compare[0]!), readProfile(argv.compare[1]!), argv.format));
      return;
    }
    const kernels = argv.kernels?.split(',').map((k) => k.trim()).filter(Boolean);
    try {
      if (kernels !== undefined) checkKernelNames(kernels);
    } catch (e) {
      throw new XmrError('E_USAGE', `--${(e as Error).message}`); // a usage error: exit status 2
    }
    const profile = await runProfile({ quick: argv.quick, kernels, progress: (line) => process.stderr.write(`xmrbench profile: ${line}\n`) });
    const command = ['xmrbench profile', ...(argv.quick ? ['--quick'] : []), ...(argv.kernels ? [`--kernels ${argv.kernels}`] : [])].join(' ');
    mkdirSync(argv.out, { recursive: true });
    const md = profileMarkdown(profile, command);
    writeFileAtomic(path.join(argv.out, 'profile.json'), Buffer.from(JSON.stringify(profile, null, 2) + '\n'));
    writeFileAtomic(path.join(argv.out, 'roofline.svg'), Buffer.from(rooflineSvg(profile)));
    writeFileAtomic(path.join(argv.out, 'profile.md'), Buffer.from(md + '\n![roofline](roofline.svg)\n'));
    process.stdout.write(md);
  },
};
