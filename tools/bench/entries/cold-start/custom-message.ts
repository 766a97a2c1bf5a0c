// Hand-written CustomMessage doing the toolkit's job without it (and without mustache): for the seven
// CustomMessage sources, in the user's locale (en or fr), an HTML email (header and footer), a subject and
// an SMS from template literals; user values cleaned and capped, HTML-escaped in the email; on an email
// change, the new address's domain checked against the inline lists. No SDK client, no I/O.
// test/tools/bench-custom-message-baseline.test.ts proves it answers as the toolkit does (every source and
// locale, hostile names, refused changes). Where a careful team could choose, it takes the cheaper way: the
// characters it strips are written as ranges (the toolkit also strips unassigned and private-use code points,
// with \p{...} classes built on first need), and it has none of the toolkit's checks of the rendered text
// (Cognito's character patterns, lengths, one placeholder each), which a valid template never fails.
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { handWritten, isEmailDomainAllowed, logger, splitDomainList } from './hand-written.js';

const appName = process.env.APP_NAME ?? '';
const appUrl = (process.env.APP_URL ?? '').replace(/\/+$/, '');
const defaultLocale = process.env.DEFAULT_LOCALE || 'en';
const allowed = splitDomainList(process.env.ALLOWED_EMAIL_DOMAINS);
const denied = splitDomainList(process.env.DENIED_EMAIL_DOMAINS);
const checksDomains = allowed.length > 0 || denied.length > 0;

/** What a template reads; in the email body every value but Cognito's placeholders is HTML-escaped. */
interface View {
  appName: string;
  name: string;
  code: string;
  username: string;
  confirmSignUp: string;
  resetPassword: string;
  signIn: string;
  verifyEmail: string;
  account: string;
}

interface Template {
  subject(view: View): string;
  html(view: View): string;
  sms(view: View): string;
}

const CODE_STYLE = 'margin:24px 0;font-size:28px;font-weight:bold;letter-spacing:4px;';
const BUTTON_STYLE =
  'display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;';

const header = (lang: string, greeting: string, v: View): string => `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${v.appName}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;padding:24px 0;">
<tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;padding:32px;">
<tr><td style="font-size:20px;font-weight:bold;padding-bottom:16px;">${v.appName}</td></tr>
<tr><td style="font-size:16px;line-height:1.5;">
<p>${greeting}</p>
`;

const footer = (notice: string): string => `</td></tr>
<tr><td style="font-size:12px;line-height:1.5;color:#6b7280;padding-top:24px;">${notice}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;

const enHeader = (v: View): string => header('en', v.name ? `Hello ${v.name},` : 'Hello,', v);
const enFooter = (v: View): string =>
  footer(
    `This email was sent by ${v.appName} because of an action on your account. If it was not you, ignore this email; your account stays as it is.`,
  );
const frHeader = (v: View): string => header('fr', v.name ? `Bonjour ${v.name},` : 'Bonjour,', v);
const frFooter = (v: View): string =>
  footer(
    `Cet e-mail vous a été envoyé par ${v.appName} suite à une action sur votre compte. Si vous n’en êtes pas à l’origine, ignorez-le : votre compte reste inchangé.`,
  );

const TEMPLATES: Record<string, Record<string, Template>> = {
  en: {
    CustomMessage_SignUp: {
      subject: (v) => `${v.name ? `${v.name}, confirm` : 'Confirm'} your ${v.appName} account`,
      html: (
        v,
      ) => `${enHeader(v)}<p>Thanks for signing up to ${v.appName}. Enter this code to confirm your account:</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p><a href="${v.confirmSignUp}" style="${BUTTON_STYLE}">Confirm my account</a></p>
${enFooter(v)}`,
      sms: (v) => `${v.appName}: your confirmation code is ${v.code}`,
    },
    CustomMessage_AdminCreateUser: {
      subject: (v) => `${v.name ? `${v.name}, your` : 'Your'} ${v.appName} account is ready`,
      html: (v) => `${enHeader(v)}<p>An account has been created for you on ${v.appName}.</p>
<p>Username: <strong>${v.username}</strong><br>
Temporary password: <strong>${v.code}</strong></p>
<p>Sign in with them, then choose your own password.</p>
<p><a href="${v.signIn}" style="${BUTTON_STYLE}">Sign in</a></p>
${enFooter(v)}`,
      sms: (v) => `${v.appName}: your username is ${v.username} and your temporary password is ${v.code}`,
    },
    CustomMessage_ResendCode: {
      subject: (v) => `Your ${v.appName} confirmation code`,
      html: (v) => `${enHeader(v)}<p>Here is a new code to confirm your ${v.appName} account:</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p><a href="${v.confirmSignUp}" style="${BUTTON_STYLE}">Confirm my account</a></p>
${enFooter(v)}`,
      sms: (v) => `${v.appName}: your new confirmation code is ${v.code}`,
    },
    CustomMessage_ForgotPassword: {
      subject: (v) => `Reset your ${v.appName} password`,
      html: (
        v,
      ) => `${enHeader(v)}<p>We received a request to reset your ${v.appName} password. Enter this code to choose a new one:</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p><a href="${v.resetPassword}" style="${BUTTON_STYLE}">Reset my password</a></p>
<p>If you did not ask for this, you can ignore this email: your password stays the same.</p>
${enFooter(v)}`,
      sms: (v) => `${v.appName}: your password reset code is ${v.code}`,
    },
    CustomMessage_UpdateUserAttribute: {
      subject: (v) => `Confirm your new ${v.appName} contact details`,
      html: (
        v,
      ) => `${enHeader(v)}<p>You changed the contact details of your ${v.appName} account. Enter this code to confirm them:</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p><a href="${v.verifyEmail}" style="${BUTTON_STYLE}">Confirm my details</a></p>
${enFooter(v)}`,
      sms: (v) => `${v.appName}: your verification code is ${v.code}`,
    },
    CustomMessage_VerifyUserAttribute: {
      subject: (v) => `Verify your ${v.appName} contact details`,
      html: (
        v,
      ) => `${enHeader(v)}<p>Enter this code to verify the contact details of your ${v.appName} account:</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p><a href="${v.verifyEmail}" style="${BUTTON_STYLE}">Verify my details</a></p>
${enFooter(v)}`,
      sms: (v) => `${v.appName}: your verification code is ${v.code}`,
    },
    CustomMessage_Authentication: {
      subject: (v) => `Your ${v.appName} sign-in code`,
      html: (v) => `${enHeader(v)}<p>Use this code to finish signing in to ${v.appName}:</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p>If you are not signing in right now, someone may know your password: <a href="${v.account}">change it</a>.</p>
${enFooter(v)}`,
      sms: (v) => `${v.appName}: your sign-in code is ${v.code}`,
    },
  },
  fr: {
    CustomMessage_SignUp: {
      subject: (v) => `${v.name ? `${v.name}, confirmez` : 'Confirmez'} votre compte ${v.appName}`,
      html: (
        v,
      ) => `${frHeader(v)}<p>Merci de votre inscription à ${v.appName}. Saisissez ce code pour confirmer votre compte :</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p><a href="${v.confirmSignUp}" style="${BUTTON_STYLE}">Confirmer mon compte</a></p>
${frFooter(v)}`,
      sms: (v) => `${v.appName} : votre code de confirmation est ${v.code}`,
    },
    CustomMessage_AdminCreateUser: {
      subject: (v) => `${v.name ? `${v.name}, votre` : 'Votre'} compte ${v.appName} est prêt`,
      html: (v) => `${frHeader(v)}<p>Un compte a été créé pour vous sur ${v.appName}.</p>
<p>Nom d’utilisateur : <strong>${v.username}</strong><br>
Mot de passe temporaire : <strong>${v.code}</strong></p>
<p>Connectez-vous avec ces identifiants, puis choisissez votre propre mot de passe.</p>
<p><a href="${v.signIn}" style="${BUTTON_STYLE}">Me connecter</a></p>
${frFooter(v)}`,
      sms: (v) => `${v.appName} : identifiant ${v.username}, mot de passe temporaire ${v.code}`,
    },
    CustomMessage_ResendCode: {
      subject: (v) => `Votre code de confirmation ${v.appName}`,
      html: (v) => `${frHeader(v)}<p>Voici un nouveau code pour confirmer votre compte ${v.appName} :</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p><a href="${v.confirmSignUp}" style="${BUTTON_STYLE}">Confirmer mon compte</a></p>
${frFooter(v)}`,
      sms: (v) => `${v.appName} : votre nouveau code de confirmation est ${v.code}`,
    },
    CustomMessage_ForgotPassword: {
      subject: (v) => `Réinitialisez votre mot de passe ${v.appName}`,
      html: (
        v,
      ) => `${frHeader(v)}<p>Nous avons reçu une demande de réinitialisation de votre mot de passe ${v.appName}. Saisissez ce code pour en choisir un nouveau :</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p><a href="${v.resetPassword}" style="${BUTTON_STYLE}">Réinitialiser mon mot de passe</a></p>
<p>Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé.</p>
${frFooter(v)}`,
      sms: (v) => `${v.appName} : votre code de réinitialisation est ${v.code}`,
    },
    CustomMessage_UpdateUserAttribute: {
      subject: (v) => `Confirmez vos nouvelles coordonnées ${v.appName}`,
      html: (
        v,
      ) => `${frHeader(v)}<p>Vous avez modifié les coordonnées de votre compte ${v.appName}. Saisissez ce code pour les confirmer :</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p><a href="${v.verifyEmail}" style="${BUTTON_STYLE}">Confirmer mes coordonnées</a></p>
${frFooter(v)}`,
      sms: (v) => `${v.appName} : votre code de vérification est ${v.code}`,
    },
    CustomMessage_VerifyUserAttribute: {
      subject: (v) => `Vérifiez vos coordonnées ${v.appName}`,
      html: (
        v,
      ) => `${frHeader(v)}<p>Saisissez ce code pour vérifier les coordonnées de votre compte ${v.appName} :</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p><a href="${v.verifyEmail}" style="${BUTTON_STYLE}">Vérifier mes coordonnées</a></p>
${frFooter(v)}`,
      sms: (v) => `${v.appName} : votre code de vérification est ${v.code}`,
    },
    CustomMessage_Authentication: {
      subject: (v) => `Votre code de connexion ${v.appName}`,
      html: (v) => `${frHeader(v)}<p>Utilisez ce code pour terminer votre connexion à ${v.appName} :</p>
<p style="${CODE_STYLE}">${v.code}</p>
<p>Si vous n’êtes pas en train de vous connecter, quelqu’un connaît peut-être votre mot de passe : <a href="${v.account}">changez-le</a>.</p>
${frFooter(v)}`,
      sms: (v) => `${v.appName} : votre code de connexion est ${v.code}`,
    },
  },
};

// The set mustache escapes (the toolkit's templates are mustache's), one entity each.
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
Object.assign(HTML_ENTITIES, { "'": '&#39;', '`': '&#x60;', '=': '&#x3D;', '/': '&#x2F;' });
const escapeHtml = (text: string): string => text.replace(/[&<>"'`=/]/g, (c) => HTML_ENTITIES[c] ?? c);

// Written as ranges, not \p{...} classes (which V8 would compile on the first message): the separators,
// the C0 and C1 controls and the invisible format characters (bidi controls, zero-width, BOM).
const SEPARATORS = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- control characters are what this class removes
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;

/** One line: separators to a space, control and invisible characters out, Cognito's placeholders out, at most 40. */
function cleanValue(value: string | undefined, placeholders: string[]): string {
  let text = (value ?? '').replace(SEPARATORS, ' ').replace(INVISIBLE, '');
  // "{##{####}##}" holds a second placeholder once the first is gone.
  while (placeholders.some((placeholder) => text.includes(placeholder))) {
    for (const placeholder of placeholders) text = text.replaceAll(placeholder, '');
  }
  text = text.replace(/ {2,}/g, ' ').trim();
  let capped = '';
  for (const char of text) {
    if (capped.length + char.length > 40) break;
    capped += char;
  }
  return capped.trim();
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The exact locale tag (`fr-ca`), else its language (`fr`), else the default. */
function pickLocale(requested: string | undefined): string {
  const tag = (requested ?? '').trim().replace(/_/g, '-').toLowerCase();
  if (!/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(tag)) return defaultLocale;
  if (Object.hasOwn(TEMPLATES, tag)) return tag;
  const language = tag.split('-')[0]!;
  return Object.hasOwn(TEMPLATES, language) ? language : defaultLocale;
}

const EMAIL_CHANGE_SOURCES = new Set([
  'CustomMessage_UpdateUserAttribute',
  'CustomMessage_VerifyUserAttribute',
]);

export const handler = handWritten(async (event: CustomMessageTriggerEvent) => {
  const { triggerSource, request } = event;
  const attributes = request.userAttributes;
  const email = attributes.email;
  if (
    checksDomains &&
    EMAIL_CHANGE_SOURCES.has(triggerSource) &&
    email !== undefined &&
    !isEmailDomainAllowed(email, allowed, denied)
  ) {
    logger.info('Email change refused');
    throw new Error('[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed');
  }
  const locale = pickLocale(attributes.locale);
  const templates = TEMPLATES[locale] ?? {};
  const template = Object.hasOwn(templates, triggerSource) ? templates[triggerSource] : undefined;
  if (template === undefined) return event; // Cognito sends its default message.

  const code = request.codeParameter;
  const username = triggerSource === 'CustomMessage_AdminCreateUser' ? (request.usernameParameter ?? '') : '';
  const placeholders = [code, username].filter((placeholder) => placeholder !== '');
  const name = cleanValue(attributes.given_name, placeholders) || cleanValue(attributes.name, placeholders);
  const user = encodeURIComponent(event.userName);
  const text: View = {
    appName,
    name,
    code,
    username,
    confirmSignUp: `${appUrl}/confirm-sign-up?username=${user}`,
    resetPassword: `${appUrl}/reset-password?username=${user}`,
    signIn: `${appUrl}/sign-in?username=${user}`,
    verifyEmail: `${appUrl}/account/verify-email`,
    account: `${appUrl}/account`,
  };
  // Cognito's placeholders go into the body verbatim (Cognito looks for the exact text); all else is escaped.
  const html: View = { ...text };
  for (const key of Object.keys(html) as (keyof View)[]) {
    if (key !== 'code' && key !== 'username') html[key] = escapeHtml(html[key]);
  }

  event.response.emailSubject = oneLine(template.subject(text));
  event.response.emailMessage = template.html(html);
  event.response.smsMessage = oneLine(template.sms(text));
  logger.info('Message rendered', { locale });
  return event;
});
