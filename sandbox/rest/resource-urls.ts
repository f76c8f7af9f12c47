// Location headers and resource links. Creates answer with a RELATIVE Location (as most Catapult doc
// examples do); links inside bodies (`application`, order `location`) are absolute, as in the docs.

export const userPath = (userId: string) => `/v1/users/${userId}`;
export const numberPath = (userId: string, numberId: string) => `${userPath(userId)}/phoneNumbers/${numberId}`;
export const applicationPath = (userId: string, applicationId: string) =>
  `${userPath(userId)}/applications/${applicationId}`;
export const domainPath = (userId: string, domainId: string) => `${userPath(userId)}/domains/${domainId}`;
export const endpointPath = (userId: string, domainId: string, endpointId: string) =>
  `${domainPath(userId, domainId)}/endpoints/${endpointId}`;

export function created(location: string) {
  return { status: 201, headers: { Location: location } };
}

export const ok = () => ({ status: 200 });
