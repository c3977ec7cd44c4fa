/** The Authentication form's state and the API's Cognito configuration, both ways. */
import type {
  CreateBackendAuthResourceConfig,
  SocialProviderSettings,
  UpdateBackendAuthResourceConfig,
} from '@aws-sdk/client-amplifybackend';
import { splitList } from './format';

export const SIGN_IN_METHODS = ['EMAIL', 'EMAIL_AND_PHONE_NUMBER', 'PHONE_NUMBER', 'USERNAME'] as const;
export const ATTRIBUTES = [
  'ADDRESS', 'BIRTHDATE', 'EMAIL', 'FAMILY_NAME', 'GENDER', 'GIVEN_NAME', 'LOCALE', 'MIDDLE_NAME', 'NAME',
  'NICKNAME', 'PHONE_NUMBER', 'PICTURE', 'PREFERRED_USERNAME', 'PROFILE', 'UPDATED_AT', 'WEBSITE', 'ZONE_INFO',
] as const;
export const CONSTRAINTS = ['REQUIRE_DIGIT', 'REQUIRE_LOWERCASE', 'REQUIRE_SYMBOL', 'REQUIRE_UPPERCASE'] as const;
export const SCOPES = ['PHONE', 'EMAIL', 'OPENID', 'PROFILE', 'AWS_COGNITO_SIGNIN_USER_ADMIN'] as const;
export const PROVIDERS = ['Google', 'Facebook', 'LoginWithAmazon'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface AuthForm {
  userPoolName: string;
  signInMethod: string;
  requiredAttributes: string[];
  identityPool: boolean;
  identityPoolName: string;
  unauthenticatedLogin: boolean;
  mfaMode: string;
  mfaTypes: string[];
  mfaSmsMessage: string;
  minimumLength: number;
  constraints: string[];
  verificationDelivery: string;
  verificationEmailSubject: string;
  verificationEmailMessage: string;
  verificationSmsMessage: string;
  forgotDelivery: string;
  forgotEmailSubject: string;
  forgotEmailMessage: string;
  forgotSmsMessage: string;
  oauth: boolean;
  domainPrefix: string;
  grantType: string;
  scopes: string[];
  redirectSignIn: string;
  redirectSignOut: string;
  providers: Record<Provider, { clientId: string; clientSecret: string }>;
  apple: { clientId: string; keyId: string; privateKey: string; teamId: string };
}

export function emptyAuthForm(name: string): AuthForm {
  const provider = { clientId: '', clientSecret: '' };
  return {
    userPoolName: `${name}UserPool`,
    signInMethod: 'EMAIL',
    requiredAttributes: ['EMAIL'],
    identityPool: true,
    identityPoolName: `${name}IdentityPool`,
    unauthenticatedLogin: false,
    mfaMode: 'OFF',
    mfaTypes: [],
    mfaSmsMessage: '',
    minimumLength: 8,
    constraints: [],
    verificationDelivery: 'EMAIL',
    verificationEmailSubject: 'Your verification code',
    verificationEmailMessage: 'Your verification code is {####}',
    verificationSmsMessage: '',
    forgotDelivery: 'EMAIL',
    forgotEmailSubject: 'Reset your password',
    forgotEmailMessage: 'Your password reset code is {####}',
    forgotSmsMessage: '',
    oauth: false,
    domainPrefix: '',
    grantType: 'CODE',
    scopes: ['EMAIL', 'OPENID'],
    redirectSignIn: '',
    redirectSignOut: '',
    providers: { Google: { ...provider }, Facebook: { ...provider }, LoginWithAmazon: { ...provider } },
    apple: { clientId: '', keyId: '', privateKey: '', teamId: '' },
  };
}

const nonEmpty = (s: string) => (s.trim() ? s.trim() : undefined);

function socialProviders(form: AuthForm): SocialProviderSettings | undefined {
  const out: SocialProviderSettings = {};
  for (const p of PROVIDERS) {
    const { clientId, clientSecret } = form.providers[p];
    if (clientId.trim()) out[p] = { ClientId: clientId.trim(), ClientSecret: clientSecret };
  }
  const a = form.apple;
  if (a.clientId.trim()) {
    out.SignInWithApple = { ClientId: a.clientId.trim(), KeyId: a.keyId.trim(), PrivateKey: a.privateKey, TeamId: a.teamId.trim() };
  }
  return Object.keys(out).length ? out : undefined;
}

/** A message sent by email or SMS: the settings of the chosen delivery only. */
function message(delivery: string, subject: string, email: string, sms: string) {
  return {
    DeliveryMethod: delivery as 'EMAIL' | 'SMS',
    ...(delivery === 'EMAIL'
      ? { EmailSettings: { EmailSubject: subject, EmailMessage: email } }
      : { SmsSettings: { SmsMessage: sms } }),
  };
}

const verification = (f: AuthForm) =>
  message(f.verificationDelivery, f.verificationEmailSubject, f.verificationEmailMessage, f.verificationSmsMessage);
const forgotPassword = (f: AuthForm) =>
  message(f.forgotDelivery, f.forgotEmailSubject, f.forgotEmailMessage, f.forgotSmsMessage);

function mfa(form: AuthForm) {
  return form.mfaMode === 'OFF'
    ? { MFAMode: 'OFF' as const }
    : {
        MFAMode: form.mfaMode as 'ON' | 'OPTIONAL',
        Settings: { MfaTypes: form.mfaTypes as ('SMS' | 'TOTP')[], ...(nonEmpty(form.mfaSmsMessage) ? { SmsMessage: form.mfaSmsMessage } : {}) },
      };
}

function oauth(form: AuthForm) {
  if (!form.oauth) return undefined;
  const social = socialProviders(form);
  return {
    ...(nonEmpty(form.domainPrefix) ? { DomainPrefix: form.domainPrefix.trim() } : {}),
    OAuthGrantType: form.grantType as 'CODE' | 'IMPLICIT',
    OAuthScopes: form.scopes as (typeof SCOPES)[number][],
    RedirectSignInURIs: splitList(form.redirectSignIn),
    RedirectSignOutURIs: splitList(form.redirectSignOut),
    ...(social ? { SocialProviderSettings: social } : {}),
  };
}

/** The CreateBackendAuth resource config of a filled form. */
export function toCreateConfig(form: AuthForm): CreateBackendAuthResourceConfig {
  const o = oauth(form);
  return {
    AuthResources: form.identityPool ? 'IDENTITY_POOL_AND_USER_POOL' : 'USER_POOL_ONLY',
    Service: 'COGNITO',
    ...(form.identityPool
      ? { IdentityPoolConfigs: { IdentityPoolName: form.identityPoolName.trim(), UnauthenticatedLogin: form.unauthenticatedLogin } }
      : {}),
    UserPoolConfigs: {
      UserPoolName: form.userPoolName.trim(),
      SignInMethod: form.signInMethod as (typeof SIGN_IN_METHODS)[number],
      RequiredSignUpAttributes: form.requiredAttributes as (typeof ATTRIBUTES)[number][],
      Mfa: mfa(form),
      PasswordPolicy: {
        MinimumLength: form.minimumLength,
        AdditionalConstraints: form.constraints as (typeof CONSTRAINTS)[number][],
      },
      VerificationMessage: verification(form),
      ForgotPassword: forgotPassword(form),
      ...(o ? { OAuth: o } : {}),
    },
  };
}

/** The UpdateBackendAuth resource config: what an update may change. */
export function toUpdateConfig(form: AuthForm): UpdateBackendAuthResourceConfig {
  const create = toCreateConfig(form);
  const pool = create.UserPoolConfigs;
  return {
    AuthResources: create.AuthResources,
    Service: 'COGNITO',
    ...(form.identityPool ? { IdentityPoolConfigs: { UnauthenticatedLogin: form.unauthenticatedLogin } } : {}),
    UserPoolConfigs: {
      ...(pool?.Mfa ? { Mfa: pool.Mfa } : {}),
      ...(pool?.PasswordPolicy ? { PasswordPolicy: pool.PasswordPolicy } : {}),
      ...(pool?.VerificationMessage ? { VerificationMessage: pool.VerificationMessage } : {}),
      ...(pool?.ForgotPassword ? { ForgotPassword: pool.ForgotPassword } : {}),
      ...(pool?.OAuth ? { OAuth: pool.OAuth } : {}),
    },
  };
}

/** The form showing a configuration read back with GetBackendAuth. */
export function fromConfig(config: CreateBackendAuthResourceConfig | undefined, name: string): AuthForm {
  const form = emptyAuthForm(name);
  if (!config) return form;
  const pool = config.UserPoolConfigs;
  const identity = config.IdentityPoolConfigs;
  const verifying = pool?.VerificationMessage;
  const forgot = pool?.ForgotPassword;
  const o = pool?.OAuth;
  const social = o?.SocialProviderSettings;
  const providers = { ...form.providers };
  for (const p of PROVIDERS) {
    const s = social?.[p];
    if (s) providers[p] = { clientId: s.ClientId ?? '', clientSecret: s.ClientSecret ?? '' };
  }
  const apple = social?.SignInWithApple;
  return {
    ...form,
    userPoolName: pool?.UserPoolName ?? form.userPoolName,
    signInMethod: pool?.SignInMethod ?? form.signInMethod,
    requiredAttributes: [...(pool?.RequiredSignUpAttributes ?? [])],
    identityPool: config.AuthResources === 'IDENTITY_POOL_AND_USER_POOL',
    identityPoolName: identity?.IdentityPoolName ?? form.identityPoolName,
    unauthenticatedLogin: identity?.UnauthenticatedLogin ?? false,
    mfaMode: pool?.Mfa?.MFAMode ?? 'OFF',
    mfaTypes: [...(pool?.Mfa?.Settings?.MfaTypes ?? [])],
    mfaSmsMessage: pool?.Mfa?.Settings?.SmsMessage ?? '',
    minimumLength: pool?.PasswordPolicy?.MinimumLength ?? form.minimumLength,
    constraints: [...(pool?.PasswordPolicy?.AdditionalConstraints ?? [])],
    verificationDelivery: verifying?.DeliveryMethod ?? form.verificationDelivery,
    verificationEmailSubject: verifying?.EmailSettings?.EmailSubject ?? form.verificationEmailSubject,
    verificationEmailMessage: verifying?.EmailSettings?.EmailMessage ?? form.verificationEmailMessage,
    verificationSmsMessage: verifying?.SmsSettings?.SmsMessage ?? '',
    forgotDelivery: forgot?.DeliveryMethod ?? form.forgotDelivery,
    forgotEmailSubject: forgot?.EmailSettings?.EmailSubject ?? form.forgotEmailSubject,
    forgotEmailMessage: forgot?.EmailSettings?.EmailMessage ?? form.forgotEmailMessage,
    forgotSmsMessage: forgot?.SmsSettings?.SmsMessage ?? '',
    oauth: o !== undefined,
    domainPrefix: o?.DomainPrefix ?? '',
    grantType: o?.OAuthGrantType ?? form.grantType,
    scopes: o ? [...(o.OAuthScopes ?? [])] : form.scopes,
    redirectSignIn: (o?.RedirectSignInURIs ?? []).join('\n'),
    redirectSignOut: (o?.RedirectSignOutURIs ?? []).join('\n'),
    providers,
    apple: apple
      ? { clientId: apple.ClientId ?? '', keyId: apple.KeyId ?? '', privateKey: apple.PrivateKey ?? '', teamId: apple.TeamId ?? '' }
      : form.apple,
  };
}

/** A copy of `list` with `item` in or out. */
export function toggle(list: string[], item: string, on: boolean): string[] {
  return on ? (list.includes(item) ? list : [...list, item]) : list.filter((x) => x !== item);
}
