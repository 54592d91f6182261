// @ts-expect-error plain ESM build script without typings
import { build } from '../../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await (build as () => Promise<void>)();
}
