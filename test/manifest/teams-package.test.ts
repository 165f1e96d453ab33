import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PLACEHOLDER_APP_ID } from '../../manifest/teams/app-id';
import {
  TEMPLATE_NAME,
  buildTeamsPackage,
  type TeamsManifest,
} from '../../manifest/teams/build-package';
import { PackagingError } from '../../manifest/teams/packaging-error';
import { SCHEMAS_DIR, checkManifest, shippedSchemaPath } from '../../manifest/teams/schema-check';
import { VERBS } from '../../bot/core/commands/grammar';
import { draft04OnlyKeywords } from './draft04';
import { decodePng } from './png';

const SOURCE_DIR = path.resolve(__dirname, '../../manifest/teams');
const BOT_ID = '6f1c2b1e-0d3a-4c5b-9e8f-1a2b3c4d5e6f';

// The chat grammar's verbs are the words the manifest may offer.
const COMMAND_WORDS: readonly string[] = VERBS;
// Teams' documented limits, stricter than the schema's (12 commands, 128-character titles).
const MAX_COMMANDS = 10;
const MAX_TITLE = 32;
const MAX_DESCRIPTION = 128;

function schemaUrl(version: string) {
  return `https://developer.microsoft.com/en-us/json-schemas/teams/${version}/MicrosoftTeams.schema.json`;
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'accessbot-teams-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Schema checks must work offline: any attempt to fetch fails the test that made it.
const realFetch = globalThis.fetch;
beforeAll(() => {
  globalThis.fetch = () => Promise.reject(new Error('no network in these tests'));
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

async function unzip(zipPath: string) {
  const zip = await JSZip.loadAsync(fs.readFileSync(zipPath));
  const read = (name: string) =>
    zip.file(name)?.async('nodebuffer') ?? Promise.reject(new Error(`no ${name} in the zip`));
  return { names: Object.keys(zip.files).sort(), read };
}

async function build(env: NodeJS.ProcessEnv) {
  const built = await buildTeamsPackage({ outDir: path.join(tmp, 'out'), env });
  const zip = await unzip(built.zipPath);
  const manifest = JSON.parse((await zip.read('manifest.json')).toString('utf8')) as TeamsManifest;
  return { ...built, zip, manifest };
}

describe('the Teams app package', () => {
  test('holds exactly manifest.json and its two icons at the root, in the given folder', async () => {
    const { zipPath, zip } = await build({ MicrosoftAppId: BOT_ID });
    expect(path.dirname(zipPath)).toBe(path.join(tmp, 'out'));
    expect(zip.names).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  test('uses MicrosoftAppId as app id and bot id, and the version of package.json', async () => {
    const { manifest, warnings } = await build({ MicrosoftAppId: BOT_ID });
    const { version } = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'),
    );
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.bots?.map((b) => b.botId)).toEqual([BOT_ID]);
    expect(manifest.version).toBe(version);
    expect(warnings).toEqual([]);
  });

  test('without MicrosoftAppId, uses the placeholder id and warns it is for local testing', async () => {
    for (const env of [{}, { MicrosoftAppId: '' }]) {
      const { manifest, warnings } = await build(env);
      expect(manifest.id).toBe(PLACEHOLDER_APP_ID);
      expect(manifest.bots?.[0].botId).toBe(PLACEHOLDER_APP_ID);
      expect(warnings).toEqual([expect.stringMatching(/MicrosoftAppId.*Agents Playground/)]);
    }
  });

  test("links Accessbot's privacy statement and terms, files of this repository", async () => {
    const { manifest } = await build({ MicrosoftAppId: BOT_ID });
    const repo = 'https://github.com/accessbot/accessbot/blob/main/';
    for (const url of [manifest.developer.privacyUrl, manifest.developer.termsOfUseUrl]) {
      expect(url.startsWith(repo)).toBe(true);
      expect(fs.existsSync(path.resolve(__dirname, '../..', url.slice(repo.length)))).toBe(true);
    }
  });

  test("links the organisation's own privacy statement and terms when it names them", async () => {
    const { manifest } = await build({
      MicrosoftAppId: BOT_ID,
      TEAMS_PRIVACY_URL: 'https://intranet.woodgrove.example/privacy',
      TEAMS_TERMS_URL: 'https://intranet.woodgrove.example/terms',
    });
    expect(manifest.developer).toMatchObject({
      privacyUrl: 'https://intranet.woodgrove.example/privacy',
      termsOfUseUrl: 'https://intranet.woodgrove.example/terms',
    });
    for (const [name, value] of [
      ['TEAMS_PRIVACY_URL', 'http://intranet.woodgrove.example/privacy'],
      ['TEAMS_TERMS_URL', 'not a url'],
    ]) {
      const attempt = buildTeamsPackage({ outDir: tmp, env: { [name]: value } });
      await expect(attempt).rejects.toThrow(new RegExp(`^${name} must be an https:// URL`));
    }
  });

  test('refuses a MicrosoftAppId that is not a GUID, naming the variable but not its value', async () => {
    const value = 'xoxb-not-a-guid-but-a-secret';
    const attempt = buildTeamsPackage({ outDir: tmp, env: { MicrosoftAppId: value } });
    await expect(attempt).rejects.toThrow(PackagingError);
    await expect(attempt).rejects.toThrow(/^MicrosoftAppId must be .*GUID/);
    await attempt.catch((err: Error) => expect(err.message).not.toContain(value));
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('is on the newest stable manifest schema that @microsoft/app-manifest ships', async () => {
    const minors = fs
      .readdirSync(SCHEMAS_DIR)
      .map((dir) => /^v1\.(\d+)$/.exec(dir)?.[1])
      .filter((minor) => minor !== undefined)
      .map(Number);
    const newest = `1.${Math.max(...minors)}`;
    const { manifest } = await build({});
    expect(manifest.manifestVersion).toBe(newest);
    expect(manifest.$schema).toBe(schemaUrl(`v${newest}`));
  });

  test("passes Microsoft's schema, checked offline", async () => {
    const { manifest } = await build({ MicrosoftAppId: BOT_ID });
    expect(checkManifest(manifest)).toEqual([]);
  });

  test('offers at most 10 chat commands per scope, each a word of the grammar', async () => {
    const { manifest } = await build({});
    const lists = manifest.bots?.[0].commandLists ?? [];
    expect(lists.map((l) => l.scopes)).toEqual([['personal'], ['team']]);
    for (const { commands } of lists) {
      expect(commands.length).toBeLessThanOrEqual(MAX_COMMANDS);
      const titles = commands.map((c) => c.title);
      expect(new Set(titles).size).toBe(titles.length);
      for (const { title, description = '' } of commands) {
        expect(COMMAND_WORDS).toContain(title);
        expect(title.length).toBeLessThanOrEqual(MAX_TITLE);
        expect(description.length).toBeGreaterThan(0);
        expect(description.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
      }
    }
    expect(lists[1].commands.map((c) => c.title)).toEqual(['help', 'packages', 'approvals']);
  });
});

describe('the manifest check', () => {
  test('catches a manifest that breaks the schema', async () => {
    const { manifest } = await build({});
    const tooLong = { ...manifest, name: { short: 'A'.repeat(31) } };
    expect(checkManifest(tooLong)).toEqual([expect.stringMatching(/^\/name\/short .*30/)]);
  });

  test('stops the build: no package from a template that breaks the schema', async () => {
    const source = path.join(tmp, 'source');
    fs.mkdirSync(source);
    for (const icon of ['color.png', 'outline.png']) {
      fs.copyFileSync(path.join(SOURCE_DIR, icon), path.join(source, icon));
    }
    const template = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, TEMPLATE_NAME), 'utf8'));
    template.name.short = 'Accessbot, the access package bot';
    fs.writeFileSync(path.join(source, TEMPLATE_NAME), JSON.stringify(template));

    const attempt = buildTeamsPackage({
      outDir: path.join(tmp, 'out'),
      env: {},
      sourceDir: source,
    });
    await expect(attempt).rejects.toThrow(PackagingError);
    await expect(attempt).rejects.toThrow(/\/name\/short/);
    expect(fs.existsSync(path.join(tmp, 'out'))).toBe(false);
  });

  test("reads Microsoft's draft-04 schemas as ajv's draft-07 does: no keyword that changed", () => {
    for (const minor of fs.readdirSync(SCHEMAS_DIR).filter((d) => /^v1\.\d+$/.test(d))) {
      const schema = JSON.parse(fs.readFileSync(shippedSchemaPath(schemaUrl(minor)), 'utf8'));
      expect([minor, draft04OnlyKeywords(schema)]).toEqual([minor, []]);
    }
  });
});

describe('the icons', () => {
  test('color.png is 192x192 and outline.png 32x32, as Teams requires', async () => {
    const { zip } = await build({});
    expect(size(decodePng(await zip.read('color.png')))).toEqual([192, 192]);
    expect(size(decodePng(await zip.read('outline.png')))).toEqual([32, 32]);
  });

  test('outline.png has only white and transparent pixels, and some of each', async () => {
    const { rgba } = decodePng(fs.readFileSync(path.join(SOURCE_DIR, 'outline.png')));
    const kinds = new Set<string>();
    for (let i = 0; i < rgba.length; i += 4) {
      const white = rgba[i] === 255 && rgba[i + 1] === 255 && rgba[i + 2] === 255;
      kinds.add(
        rgba[i + 3] === 0
          ? 'transparent'
          : white
            ? 'white'
            : `rgb ${rgba.subarray(i, i + 3).join(',')}`,
      );
    }
    expect([...kinds].sort()).toEqual(['transparent', 'white']);
  });
});

const size = ({ width, height }: { width: number; height: number }) => [width, height];
