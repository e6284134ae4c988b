/**
 * Kubernetes PersistentVolumeClaim: the EBS volume it provisions, storage GB x the price of the
 * volume type its storage class maps to (kubernetes.storageClasses, a StorageClass of the project,
 * or gp3 assumed and said).
 */
import { volumeSubresources, volumeType } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesPersistentVolumeClaim = {
  type: 'kubernetes_persistent_volume_claim',
  components: (r) => volumeSubresources(r).flatMap((s) => s.components),
  details(r) {
    const v = r.list('volumes')[0];
    const vt = volumeType(r, v?.str('storage_class') ?? null);
    return { storageGiB: v?.num('storage_gib') ?? null, storageClass: v?.str('storage_class') ?? null, ...(vt.type ? { volumeType: vt.type } : {}) };
  },
} satisfies Pricer;
