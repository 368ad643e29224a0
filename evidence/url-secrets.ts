/**
 * Moodle puts the session's key (`sesskey`, its guard against forged requests) and web-service tokens
 * in some addresses, e.g. the block's copy link. Addresses go into outcomes, logs and manifests:
 * these values do not.
 */
const SECRET_PARAMETERS = /([?&](?:sesskey|token|wstoken|logintoken|password|passwd)=)[^&#\s"'<>]+/gi;

export function withoutUrlSecrets(text: string): string {
  return text.replace(SECRET_PARAMETERS, '$1[redacted]');
}
