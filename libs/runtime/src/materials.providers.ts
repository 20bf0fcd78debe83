import type { Provider } from '@nestjs/common';
import {
  CheckMaterialReferencesUseCase,
  DownloadMaterialUseCase,
  MaterialContentStore,
  MaterialsPolicy,
  MaterialsStore,
  UploadMaterialUseCase,
} from '@tongban/cases';
import { DirectoryMaterialContentStore, PostgresMaterialContentStore, TypeOrmMaterialsStore } from '@tongban/persistence';
import type { Runtime } from './runtime';

export const MATERIAL_USE_CASES = [UploadMaterialUseCase, DownloadMaterialUseCase, CheckMaterialReferencesUseCase];

/** The materials ports, with the content store `materials.store` selects. */
export function materialsProviders(runtime: Runtime): Provider[] {
  const { materials } = runtime.config;
  const dataSource = runtime.database.dataSource;
  return [
    { provide: MaterialsPolicy, useValue: { maxBytes: materials.maxBytes } satisfies MaterialsPolicy },
    { provide: MaterialsStore, useValue: new TypeOrmMaterialsStore(dataSource) },
    {
      provide: MaterialContentStore,
      useValue: materials.store === 'postgres' ? new PostgresMaterialContentStore(dataSource) : new DirectoryMaterialContentStore(materials.dir),
    },
  ];
}
