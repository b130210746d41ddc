/** The souvenirs table's name, as `Souvenir` declares it. @internal */
export const SOUVENIRS_TABLE = 'souvenirs';

/** Range counts of distinct users: `(when, user_id)`. @internal */
export const SOUVENIRS_INDEX_WHEN_USER = 'IDX_souvenirs_when_user';

/** Duplicate checks and per-user look-ups: `(user_id, when)`. @internal */
export const SOUVENIRS_INDEX_USER_WHEN = 'IDX_souvenirs_user_when';

/** A tenant's range counts of distinct users: `(tenant, when, user_id)`. @internal */
export const SOUVENIRS_INDEX_TENANT_WHEN_USER = 'IDX_souvenirs_tenant_when_user';
