import type { Catalog } from './en.js';
import { portalOpsFr } from './portal-ops/fr.js';
import { portalSetupFr } from './portal-setup/fr.js';

/**
 * Français : vouvoiement ; apostrophe typographique (’), qui n’est jamais un caractère
 * d’échappement ICU ; espace insécable avant « ? » et « : ».
 */
export const fr: Catalog = {
  'layout.footer': 'Connexion sécurisée pour votre organisation',
  'layout.language': 'Langue',

  'common.continue': 'Continuer',
  'common.useAnotherEmail': 'Utiliser une autre adresse e-mail',
  'common.signOut': 'Se déconnecter',

  'login.title': 'Connexion',
  'login.heading': 'Connectez-vous à votre espace de travail',
  'login.lead':
    'Utilisez votre adresse e-mail professionnelle. Nous vous redirigerons vers la connexion de votre entreprise.',
  'login.emailLabel': 'Adresse e-mail professionnelle',
  'login.domainUnknown':
    'Nous ne reconnaissons pas l’organisation de cette adresse e-mail. Vérifiez l’adresse ou demandez à votre équipe informatique si votre entreprise utilise Latchkey.',
  'login.orgNotReady':
    'Votre organisation n’a pas encore terminé la configuration de la connexion. Contactez votre équipe informatique.',
  'login.emailMissing': 'Saisissez votre adresse e-mail professionnelle.',
  'login.cancelled':
    'La connexion a été annulée. Saisissez votre adresse e-mail professionnelle pour recommencer.',

  'confirmConnection.title': 'Continuer vers la connexion',
  'confirmConnection.lead':
    'Un lien provenant d’un autre site veut lancer une connexion. Ne continuez que si vous vouliez vous connecter maintenant, avec votre propre compte professionnel.',
  'confirmConnection.leadWithEmail':
    'Un lien provenant d’un autre site veut lancer une connexion (il propose {email}). Ne continuez que si vous vouliez vous connecter maintenant, avec votre propre compte professionnel.',
  'confirmConnection.button': 'Continuer vers la connexion de votre entreprise',

  'switchAccount.title': 'Changer de compte\u00a0?',
  'switchAccount.lead': 'Vous êtes connecté en tant que {current}.',
  'switchAccount.body':
    'Une connexion d’entreprise que vous n’avez pas lancée ici veut connecter ce navigateur en tant que {email} à la place. Ne continuez que si c’était votre intention.',
  'switchAccount.continue': 'Continuer en tant que {email}',
  'switchAccount.stay': 'Rester connecté en tant que {current}',

  'chooser.title': 'Choisissez comment vous connecter',

  'handoff.signOutTitle': 'Déconnexion en cours',
  'handoff.signOutHeading': 'Déconnexion en cours…',
  'handoff.signOutLead': 'Vous êtes également déconnecté de la connexion de votre entreprise.',
  'handoff.idpTitle': 'Poursuite de la connexion',
  'handoff.idpHeading': 'Redirection vers la connexion de votre entreprise…',
  'handoff.idpLead': 'Vous êtes redirigé vers la page de connexion de votre entreprise.',

  'account.title': 'Votre compte',
  'account.heading': 'Connecté en tant que {name}',
  'account.sessions': 'Où vous êtes connecté',
  'account.device': 'Appareil',
  'account.connection': 'Connecté via',
  'account.ip': 'Adresse IP',
  'account.signedIn': 'Connexion',
  'account.lastActive': 'Dernière activité',
  'account.action': 'Action',
  'account.thisDevice': 'Cet appareil',
  'account.unknown': 'inconnu',
  'account.signOutThisDevice': 'Se déconnecter de cet appareil',
  'account.signOutSessionOn': 'Fermer la session sur {device}',
  'account.signOutOthers': 'Fermer toutes les autres sessions',
  'account.signOutEverywhere': 'Se déconnecter partout',
  'account.ended':
    '{count, plural, one {# autre session fermée.} other {# autres sessions fermées.}}',
  'account.time': '{time} UTC',

  'device.name': '{browser} sur {system}',
  'device.unknown': 'Appareil inconnu',
  'device.unknownBrowser': 'Navigateur',
  'device.unknownSystem': 'système inconnu',

  'signedOut.title': 'Déconnecté',
  'signedOut.heading': 'Vous êtes déconnecté',
  'signedOut.lead': 'Vous avez été déconnecté de Latchkey. Vous pouvez fermer cette fenêtre.',
  'signedOut.signInAgain': 'Se reconnecter',

  'confirmLogout.title': 'Se déconnecter\u00a0?',
  'confirmLogout.lead': 'Une application a demandé à vous déconnecter de Latchkey.',

  'error.signInFailed': 'Nous n’avons pas pu vous connecter',
  'error.tooMany': 'Trop de tentatives',
  'error.badRequest': 'Requête incorrecte',
  'error.signInRequired': 'Connexion requise',
  'error.notAllowed': 'Non autorisé',
  'error.notFound': 'Introuvable',
  'error.methodNotAllowed': 'Méthode non autorisée',
  'error.conflict': 'Conflit',
  'error.preconditionFailed': 'Condition préalable non remplie',
  'error.tooLarge': 'Requête trop volumineuse',
  'error.unsupportedMediaType': 'Format non pris en charge',
  'error.unavailable': 'Temporairement indisponible',
  'error.somethingWrong': 'Une erreur s’est produite',
  'error.itDetails': 'Détails pour votre équipe informatique',
  'error.reason': 'Motif',
  'error.message': 'Message',
  'error.correlationId': 'Identifiant de corrélation',
  'error.correlationHint':
    'Donnez-leur l’identifiant de corrélation\u00a0: il permet de retrouver cette tentative dans les journaux.',
  'error.backToSignIn': 'Retour à la connexion',

  'advice.startAgain.happened':
    'La connexion a pris trop de temps, ou elle a été lancée dans une autre fenêtre ou un autre navigateur.',
  'advice.startAgain.todo': 'Recommencez depuis la page de connexion, dans ce navigateur.',
  'advice.idpSetup.happened':
    'Le service de connexion de votre entreprise a répondu d’une manière que nous n’avons pas pu vérifier.',
  'advice.idpSetup.todo':
    'Cela nécessite une modification de la configuration de connexion de votre entreprise\u00a0: contactez votre administrateur informatique et donnez-lui les détails ci-dessous.',
  'advice.idpDown.happened':
    'Le service de connexion de votre entreprise ne répond pas pour le moment.',
  'advice.idpDown.todo':
    'Réessayez dans quelques minutes. Si le problème persiste, contactez votre administrateur informatique.',
  'advice.idpRefused.happened':
    'Le service de connexion de votre entreprise n’a pas terminé la connexion.',
  'advice.idpRefused.todo':
    'Réessayez. Si le problème persiste, contactez votre administrateur informatique et donnez-lui les détails ci-dessous.',
  'advice.account.happened': 'Votre compte ne peut pas se connecter ici.',
  'advice.account.todo':
    'Contactez votre administrateur informatique et donnez-lui les détails ci-dessous.',
  'advice.emailDomain.happened':
    'L’adresse e-mail transmise par votre entreprise n’appartient à aucun de ses domaines professionnels ici.',
  'advice.emailDomain.todo':
    'Connectez-vous avec votre adresse e-mail professionnelle. Si c’est celle que vous avez utilisée, contactez votre administrateur informatique.',
  'advice.emailNotVerified.happened': 'Votre entreprise n’a pas confirmé votre adresse e-mail.',
  'advice.emailNotVerified.todo':
    'Contactez votre administrateur informatique\u00a0: votre adresse e-mail doit être vérifiée auprès du service de connexion de votre entreprise.',
  'advice.assurance.happened':
    'Votre organisation exige une connexion plus forte, par exemple une deuxième étape (un code, une clé de sécurité ou une validation dans une application), et le service de connexion de votre entreprise n’en a signalé aucune.',
  'advice.assurance.todo':
    'Reconnectez-vous et effectuez l’étape supplémentaire demandée par le service de connexion de votre entreprise. S’il n’en demande aucune, contactez votre administrateur informatique.',
  'advice.orgDisabled.happened': 'Votre organisation ne peut pas se connecter pour le moment.',
  'advice.orgDisabled.todo': 'Contactez votre administrateur informatique.',
  'advice.connectionUnavailable.happened': 'Cette option de connexion n’est plus disponible.',
  'advice.connectionUnavailable.todo':
    'Recommencez depuis la page de connexion avec votre adresse e-mail professionnelle.',
  'advice.protocolUnavailable.happened': 'Cette option de connexion n’est pas encore configurée.',
  'advice.protocolUnavailable.todo':
    'Recommencez depuis la page de connexion, ou contactez votre administrateur informatique.',
  'advice.crossSite.happened': 'Cette connexion a été lancée depuis un autre site web.',
  'advice.crossSite.todo': 'Recommencez depuis la page de connexion.',
  'advice.csrf.happened':
    'Ce formulaire est resté ouvert trop longtemps, ou il provient d’une autre page.',
  'advice.csrf.todo': 'Rechargez la page et réessayez.',
  'advice.notFound.happened': 'Il n’y a rien à cette adresse.',
  'advice.notFound.todo': 'Vérifiez l’adresse, ou recommencez depuis la page de connexion.',
  'advice.returnTo.happened':
    'Ce lien de connexion mène à une destination vers laquelle nous ne vous enverrons pas.',
  'advice.returnTo.todo': 'Recommencez depuis votre application, ou depuis la page de connexion.',
  'advice.generic.happened': 'Un problème est survenu avec cette demande.',
  'advice.generic.todo':
    'Recommencez depuis la page de connexion. Si le problème persiste, contactez votre administrateur informatique et donnez-lui les détails ci-dessous.',
  'advice.tooManySignIns':
    'Trop de tentatives de connexion. Veuillez patienter {wait}, puis réessayer.',
  'advice.tooMany': 'Trop de requêtes. Veuillez patienter {wait}, puis réessayer.',

  'wait.seconds': '{count, plural, one {# seconde} other {# secondes}}',
  'wait.minutes': '{count, plural, one {# minute} other {# minutes}}',
  'wait.hours': '{count, plural, one {# heure} other {# heures}}',

  // The setup portal: its own parts, one per group of steps.
  ...portalSetupFr,
  ...portalOpsFr,
};
