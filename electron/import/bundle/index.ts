/** The bundle v1 importers, one per well-known bundle file. */
import type { Importer } from '../types';
import { bundleDetectionsImporter } from './detections';
import { bundleDnsImporter } from './dns';
import { bundleFilesImporter } from './files';
import { bundleManifestImporter } from './manifest';
import { bundleNetworkImporter } from './network';
import { bundleProcessesImporter } from './processes';
import { bundleProcessTableImporter } from './process-table';

export const bundleImporters: readonly Importer[] = [
  bundleManifestImporter,
  bundleNetworkImporter,
  bundleDnsImporter,
  bundleProcessesImporter,
  bundleProcessTableImporter,
  bundleFilesImporter,
  bundleDetectionsImporter,
];

export {
  bundleDetectionsImporter,
  bundleDnsImporter,
  bundleFilesImporter,
  bundleManifestImporter,
  bundleNetworkImporter,
  bundleProcessesImporter,
  bundleProcessTableImporter,
};
