import { type PartyUrn, partyUrn } from '../../core/identifiers';
import { type ConsentRequestInput } from './create-request-binding';
import {
  combineProblems,
  type Problem,
  problem,
  PROBLEMS,
  type ValidationError,
  validationError,
  VALIDATION_ERRORS,
  validationProblem,
} from './problems';

// docs/upstream-contract.md#create-body, in the order Altinn's ConsentService validates
// (ValidateAndSetInternalIdentifiers in src/apps/Altinn.AccessManagement/src/Altinn.AccessManagement.Core/
// Services/ConsentService.cs): the parties first (each an early answer of its own), then validTo, the rights
// and redirectUrl, collected. Several problems together are one STD-00001 (HTTP 500); validation errors of
// the request form one STD-00000 problem, and each right's own validation errors another. The paths are
// Altinn's own strings: `ValidTo`, `Resource` (for an empty list of rights), `RedirectUrl`,
// `/consentRight/<i>/action`.

export interface ConsentResourceFacts {
  metadataKeys: readonly string[];
  template: string;
  oneTime: boolean;
}

export interface ConsentRuleContext {
  now: Date;
  /** The person/organisation register (docs/upstream-contract.md §4). */
  isKnownParty(identifier: string): boolean;
  /** The Resource Registry's consent resources. */
  resource(id: string): ConsentResourceFacts | undefined;
}

export type ConsentRequestVerdict =
  { ok: true; templateId: string; oneTime: boolean } | { ok: false; problem: Problem };

export const RESOURCE_ATTRIBUTE_TYPE = 'urn:altinn:resource';

function unknownParty(party: PartyUrn): Problem {
  // Altinn names the refused identifier in an extension member (`fnumber` / `orgnr`).
  return party.kind === 'person'
    ? problem(PROBLEMS.unknownPerson, { fnumber: partyUrn(party) })
    : problem(PROBLEMS.unknownOrganization, { orgnr: partyUrn(party) });
}

/**
 * `isValidUrl` of Altinn's ConsentService: an absolute URI; http/https, or a custom scheme (app deep
 * links) of a letter followed by letters, digits, `+`, `-`, `.`.
 */
export function isValidRedirectUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'http' || scheme === 'https') return url.hostname !== '';
  return /^[a-z][a-z0-9+\-.]*$/.test(scheme);
}

function metadataProblems(
  metadata: Record<string, string> | null,
  registeredKeys: readonly string[],
  rightIndex: number,
): Problem[] {
  const problems: Problem[] = [];
  const registered = registeredKeys.map((key) => key.toLowerCase());
  const given = Object.entries(metadata ?? {});
  // Altinn compares metadata keys case-insensitively and reports them lower-cased.
  for (const [key, value] of given) {
    if (!registered.includes(key.toLowerCase())) {
      problems.push(problem(PROBLEMS.unknownConsentMetadata, { key: key.toLowerCase() }));
    }
    if (value === '') {
      problems.push(
        problem(PROBLEMS.missingMetadataValue, {
          [`ConsentRight index: ${rightIndex}, key`]: key.toLowerCase(),
        }),
      );
    }
  }
  for (const key of registered) {
    if (!given.some(([givenKey]) => givenKey.toLowerCase() === key)) {
      problems.push(problem(PROBLEMS.missingMetadata, { key }));
    }
  }
  return problems;
}

/** Decides whether Altinn would store this (bound) consent request. */
export function judgeConsentRequest(
  request: ConsentRequestInput,
  context: ConsentRuleContext,
): ConsentRequestVerdict {
  for (const party of [request.from, request.to, request.requiredDelegator]) {
    if (party && !context.isKnownParty(party.identifier)) return { ok: false, problem: unknownParty(party) };
  }

  const problems: Problem[] = [];
  const requestErrors: ValidationError[] = [];
  // docs/upstream-contract.md §2: validTo in the future (no maximum). Equal to now is not the future.
  if (request.validTo.getTime() <= context.now.getTime()) {
    requestErrors.push(validationError(VALIDATION_ERRORS.timeNotInFuture, 'ValidTo'));
  }

  let templateId = '';
  let oneTime = false;
  const rights = request.consentRights;
  if (rights.length === 0) {
    requestErrors.push(validationError(VALIDATION_ERRORS.emptyList, 'Resource'));
  }
  rights.forEach((right, index) => {
    const rightErrors: ValidationError[] = [];
    if (right.action.length === 0) {
      rightErrors.push(validationError(VALIDATION_ERRORS.required, `/consentRight/${index}/action`));
    }
    // docs/upstream-contract.md §2: exactly one resource attribute, of type urn:altinn:resource, naming a
    // consent resource. (Altinn does not check the type; the simulator does: the stricter reading.)
    const attribute = right.resource.length === 1 ? right.resource[0] : undefined;
    const resource =
      attribute?.type === RESOURCE_ATTRIBUTE_TYPE ? context.resource(attribute.value) : undefined;
    if (resource === undefined) {
      problems.push(problem(PROBLEMS.invalidConsentResource));
    } else {
      problems.push(...metadataProblems(right.metadata, resource.metadataKeys, index));
      oneTime ||= resource.oneTime;
      if (templateId === '') templateId = resource.template;
      else if (templateId.toLowerCase() !== resource.template.toLowerCase()) {
        problems.push(problem(PROBLEMS.invalidResourceCombination));
      }
    }
    if (rightErrors.length > 0) problems.push(validationProblem(rightErrors));
  });

  if (!isValidRedirectUrl(request.redirectUrl)) {
    requestErrors.push(validationError(VALIDATION_ERRORS.invalidRedirectUrl, 'RedirectUrl'));
  }
  if (requestErrors.length > 0) problems.push(validationProblem(requestErrors));

  const combined = combineProblems(problems);
  return combined ? { ok: false, problem: combined } : { ok: true, templateId, oneTime };
}
