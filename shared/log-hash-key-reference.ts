// A module of its own, with no SDK type in it: the declarations of createTriggerHandler (public) name this
// type, and a user's typecheck must not need the SSM or Secrets Manager clients, which are not dependencies.
/** Where the key for the keyed hash of usernames in logs lives, by reference (never the key itself). */
export type LogHashKeyReference =
  | { readonly kind: 'ssm'; readonly parameterName: string }
  | { readonly kind: 'secret'; readonly secretId: string };
