import type { Catalog } from './en.js';
import { portalOpsDe } from './portal-ops/de.js';
import { portalSetupDe } from './portal-setup/de.js';

/** Deutsch: Sie-Form, wie in Unternehmenssoftware üblich. */
export const de: Catalog = {
  'layout.footer': 'Sichere Anmeldung für Ihre Organisation',
  'layout.language': 'Sprache',

  'common.continue': 'Weiter',
  'common.useAnotherEmail': 'Andere E-Mail-Adresse verwenden',
  'common.signOut': 'Abmelden',

  'login.title': 'Anmelden',
  'login.heading': 'Bei Ihrem Arbeitsbereich anmelden',
  'login.lead':
    'Verwenden Sie Ihre geschäftliche E-Mail-Adresse. Wir leiten Sie zur Anmeldung Ihres Unternehmens weiter.',
  'login.emailLabel': 'Geschäftliche E-Mail-Adresse',
  'login.domainUnknown':
    'Wir kennen die Organisation dieser E-Mail-Adresse nicht. Prüfen Sie die Adresse oder fragen Sie Ihr IT-Team, ob Ihr Unternehmen Latchkey verwendet.',
  'login.orgNotReady':
    'Ihre Organisation hat die Einrichtung der Anmeldung noch nicht abgeschlossen. Wenden Sie sich an Ihr IT-Team.',
  'login.emailMissing': 'Geben Sie Ihre geschäftliche E-Mail-Adresse ein.',
  'login.cancelled':
    'Die Anmeldung wurde abgebrochen. Geben Sie Ihre geschäftliche E-Mail-Adresse ein, um neu zu beginnen.',

  'confirmConnection.title': 'Weiter zur Anmeldung',
  'confirmConnection.lead':
    'Ein Link von einer anderen Website möchte eine Anmeldung starten. Fahren Sie nur fort, wenn Sie sich jetzt mit Ihrem eigenen Arbeitskonto anmelden wollten.',
  'confirmConnection.leadWithEmail':
    'Ein Link von einer anderen Website möchte eine Anmeldung starten (er schlägt {email} vor). Fahren Sie nur fort, wenn Sie sich jetzt mit Ihrem eigenen Arbeitskonto anmelden wollten.',
  'confirmConnection.button': 'Weiter zur Anmeldung Ihres Unternehmens',

  'switchAccount.title': 'Konto wechseln?',
  'switchAccount.lead': 'Sie sind als {current} angemeldet.',
  'switchAccount.body':
    'Eine Unternehmensanmeldung, die Sie nicht hier gestartet haben, möchte diesen Browser stattdessen als {email} anmelden. Fahren Sie nur fort, wenn Sie das wollten.',
  'switchAccount.continue': 'Weiter als {email}',
  'switchAccount.stay': 'Als {current} angemeldet bleiben',

  'chooser.title': 'Anmeldeart wählen',

  'handoff.signOutTitle': 'Abmeldung läuft',
  'handoff.signOutHeading': 'Sie werden abgemeldet …',
  'handoff.signOutLead': 'Sie werden auch bei der Anmeldung Ihres Unternehmens abgemeldet.',
  'handoff.idpTitle': 'Weiter zur Anmeldung',
  'handoff.idpHeading': 'Weiter zur Anmeldung Ihres Unternehmens …',
  'handoff.idpLead': 'Sie werden zur Anmeldeseite Ihres Unternehmens weitergeleitet.',

  'account.title': 'Ihr Konto',
  'account.heading': 'Angemeldet als {name}',
  'account.sessions': 'Wo Sie angemeldet sind',
  'account.device': 'Gerät',
  'account.connection': 'Angemeldet über',
  'account.ip': 'IP-Adresse',
  'account.signedIn': 'Angemeldet',
  'account.lastActive': 'Zuletzt aktiv',
  'account.action': 'Aktion',
  'account.thisDevice': 'Dieses Gerät',
  'account.unknown': 'unbekannt',
  'account.signOutThisDevice': 'Auf diesem Gerät abmelden',
  'account.signOutSessionOn': 'Sitzung auf {device} abmelden',
  'account.signOutOthers': 'Alle anderen Sitzungen abmelden',
  'account.signOutEverywhere': 'Überall abmelden',
  'account.ended':
    '{count, plural, one {# andere Sitzung abgemeldet.} other {# andere Sitzungen abgemeldet.}}',
  'account.time': '{time} UTC',

  'device.name': '{browser} auf {system}',
  'device.unknown': 'Unbekanntes Gerät',
  'device.unknownBrowser': 'Browser',
  'device.unknownSystem': 'unbekanntem System',

  'signedOut.title': 'Abgemeldet',
  'signedOut.heading': 'Sie sind abgemeldet',
  'signedOut.lead': 'Sie wurden von Latchkey abgemeldet. Sie können dieses Fenster schließen.',
  'signedOut.signInAgain': 'Erneut anmelden',

  'confirmLogout.title': 'Abmelden?',
  'confirmLogout.lead': 'Eine Anwendung hat darum gebeten, Sie von Latchkey abzumelden.',

  'error.signInFailed': 'Wir konnten Sie nicht anmelden',
  'error.tooMany': 'Zu viele Versuche',
  'error.badRequest': 'Ungültige Anfrage',
  'error.signInRequired': 'Anmeldung erforderlich',
  'error.notAllowed': 'Nicht erlaubt',
  'error.notFound': 'Nicht gefunden',
  'error.methodNotAllowed': 'Methode nicht erlaubt',
  'error.conflict': 'Konflikt',
  'error.preconditionFailed': 'Vorbedingung nicht erfüllt',
  'error.tooLarge': 'Anfrage zu groß',
  'error.unsupportedMediaType': 'Nicht unterstütztes Format',
  'error.unavailable': 'Vorübergehend nicht verfügbar',
  'error.somethingWrong': 'Etwas ist schiefgelaufen',
  'error.itDetails': 'Details für Ihr IT-Team',
  'error.reason': 'Grund',
  'error.message': 'Meldung',
  'error.correlationId': 'Korrelations-ID',
  'error.correlationHint':
    'Geben Sie ihnen die Korrelations-ID: Damit finden sie diesen Vorgang in den Protokollen.',
  'error.backToSignIn': 'Zurück zur Anmeldung',

  'advice.startAgain.happened':
    'Die Anmeldung hat zu lange gedauert oder wurde in einem anderen Fenster oder Browser gestartet.',
  'advice.startAgain.todo': 'Beginnen Sie in diesem Browser neu auf der Anmeldeseite.',
  'advice.idpSetup.happened':
    'Die Antwort des Anmeldedienstes Ihres Unternehmens konnte nicht überprüft werden.',
  'advice.idpSetup.todo':
    'Dafür muss die Anmeldeeinrichtung Ihres Unternehmens geändert werden: Wenden Sie sich an Ihren IT-Administrator und geben Sie ihm die Details unten.',
  'advice.idpDown.happened': 'Der Anmeldedienst Ihres Unternehmens antwortet gerade nicht.',
  'advice.idpDown.todo':
    'Versuchen Sie es in ein paar Minuten erneut. Wenn das weiterhin passiert, wenden Sie sich an Ihren IT-Administrator.',
  'advice.idpRefused.happened':
    'Der Anmeldedienst Ihres Unternehmens hat die Anmeldung nicht abgeschlossen.',
  'advice.idpRefused.todo':
    'Versuchen Sie es erneut. Wenn das weiterhin passiert, wenden Sie sich an Ihren IT-Administrator und geben Sie ihm die Details unten.',
  'advice.account.happened': 'Ihr Konto kann sich hier nicht anmelden.',
  'advice.account.todo':
    'Wenden Sie sich an Ihren IT-Administrator und geben Sie ihm die Details unten.',
  'advice.emailDomain.happened':
    'Die E-Mail-Adresse, die Ihr Unternehmen übermittelt hat, gehört hier zu keiner seiner Arbeitsdomänen.',
  'advice.emailDomain.todo':
    'Melden Sie sich mit Ihrer geschäftlichen E-Mail-Adresse an. Wenn Sie diese verwendet haben, wenden Sie sich an Ihren IT-Administrator.',
  'advice.emailNotVerified.happened': 'Ihr Unternehmen hat Ihre E-Mail-Adresse nicht bestätigt.',
  'advice.emailNotVerified.todo':
    'Wenden Sie sich an Ihren IT-Administrator: Ihre E-Mail-Adresse muss beim Anmeldedienst Ihres Unternehmens bestätigt sein.',
  'advice.assurance.happened':
    'Ihre Organisation verlangt eine stärkere Anmeldung, etwa einen zweiten Schritt (einen Code, einen Sicherheitsschlüssel oder eine Bestätigung in einer App), und der Anmeldedienst Ihres Unternehmens hat keinen gemeldet.',
  'advice.assurance.todo':
    'Melden Sie sich erneut an und schließen Sie den zusätzlichen Schritt ab, den der Anmeldedienst Ihres Unternehmens verlangt. Verlangt er keinen, wenden Sie sich an Ihre IT-Administration.',
  'advice.orgDisabled.happened': 'Ihre Organisation kann sich gerade nicht anmelden.',
  'advice.orgDisabled.todo': 'Wenden Sie sich an Ihren IT-Administrator.',
  'advice.connectionUnavailable.happened': 'Diese Anmeldeoption ist nicht mehr verfügbar.',
  'advice.connectionUnavailable.todo':
    'Beginnen Sie auf der Anmeldeseite mit Ihrer geschäftlichen E-Mail-Adresse neu.',
  'advice.protocolUnavailable.happened': 'Diese Anmeldeoption ist noch nicht eingerichtet.',
  'advice.protocolUnavailable.todo':
    'Beginnen Sie auf der Anmeldeseite neu oder wenden Sie sich an Ihren IT-Administrator.',
  'advice.crossSite.happened': 'Diese Anmeldung wurde von einer anderen Website aus gestartet.',
  'advice.crossSite.todo': 'Beginnen Sie auf der Anmeldeseite neu.',
  'advice.csrf.happened': 'Dieses Formular war zu lange geöffnet oder kam von einer anderen Seite.',
  'advice.csrf.todo': 'Laden Sie die Seite neu und versuchen Sie es noch einmal.',
  'advice.notFound.happened': 'Unter dieser Adresse gibt es nichts.',
  'advice.notFound.todo': 'Prüfen Sie die Adresse oder beginnen Sie auf der Anmeldeseite neu.',
  'advice.returnTo.happened':
    'Dieser Anmeldelink führt zu einem Ziel, an das wir Sie nicht weiterleiten.',
  'advice.returnTo.todo': 'Beginnen Sie in Ihrer Anwendung oder auf der Anmeldeseite neu.',
  'advice.generic.happened': 'Bei dieser Anfrage ist etwas schiefgelaufen.',
  'advice.generic.todo':
    'Beginnen Sie auf der Anmeldeseite neu. Wenn das weiterhin passiert, wenden Sie sich an Ihren IT-Administrator und geben Sie ihm die Details unten.',
  'advice.tooManySignIns':
    'Zu viele Anmeldeversuche. Bitte warten Sie {wait} und versuchen Sie es dann erneut.',
  'advice.tooMany': 'Zu viele Anfragen. Bitte warten Sie {wait} und versuchen Sie es dann erneut.',

  'wait.seconds': '{count, plural, one {# Sekunde} other {# Sekunden}}',
  'wait.minutes': '{count, plural, one {# Minute} other {# Minuten}}',
  'wait.hours': '{count, plural, one {# Stunde} other {# Stunden}}',

  // The setup portal: its own parts, one per group of steps.
  ...portalSetupDe,
  ...portalOpsDe,
};
