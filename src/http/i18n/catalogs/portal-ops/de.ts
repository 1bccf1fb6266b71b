import type { PortalOpsPart } from './en.js';

/** Deutsch (Sie-Form): Testanmeldung, Verzeichnissynchronisierung, Audit-Protokoll, Sitzungen. */
export const portalOpsDe: PortalOpsPart = {
  'portal.ops.allSteps': '← Alle Schritte',

  'portal.test.passedTitle': 'Testanmeldung erfolgreich',
  'portal.test.failedTitle': 'Testanmeldung fehlgeschlagen',
  'portal.test.pendingTitle': 'Testanmeldung nicht abgeschlossen',
  'portal.test.reason': 'Grund:',
  'portal.test.pending':
    'Der IdP hat noch nicht geantwortet. Schließen Sie die Anmeldung in dem geöffneten Tab ab, oder testen Sie erneut.',
  'portal.test.wouldSucceed': 'Eine Anmeldung über diese Verbindung würde gelingen.',
  'portal.test.received': 'Was zurückkam',
  'portal.test.subject': 'Subjekt (sub)',
  'portal.test.nameIdFormat': 'NameID-Format',
  'portal.test.email': 'E-Mail-Adresse',
  'portal.test.emailVerified': 'E-Mail-Adresse bestätigt',
  'portal.test.yes': 'ja',
  'portal.test.no': 'nein',
  'portal.test.displayName': 'Anzeigename',
  'portal.test.groups': 'Gruppen',
  'portal.test.roles': 'Rollen in Latchkey',
  'portal.test.noRoleMapping': 'keine Rollenzuordnung',
  'portal.test.none': 'keine',
  'portal.test.checks': 'Prüfungen',
  'portal.test.checkPassed': '✓ Bestanden',
  'portal.test.checkFailed': '✗ Nicht bestanden',
  'portal.test.check.orgActive': 'Ihre Organisation kann sich anmelden',
  'portal.test.check.subjectPresent':
    'Der IdP hat angegeben, wer der Benutzer ist (NameID oder sub)',
  'portal.test.check.emailUsable': 'Eine E-Mail-Adresse kam zurück',
  'portal.test.check.emailDomainAllowed':
    'Die Domain der E-Mail-Adresse ist eine Ihrer bestätigten Domains',
  'portal.test.check.emailVerified':
    'Die E-Mail-Adresse ist bestätigt (wo Ihre Organisation das verlangt)',
  'portal.test.everything': 'Alles, was der IdP gesendet hat ({count})',
  'portal.test.activate': '{name} aktivieren',
  'portal.test.again': 'Anmeldung erneut testen',
  'portal.test.finishedTitle': 'Testanmeldung beendet',
  'portal.test.finishedLead': 'Ihr Identitätsanbieter hat geantwortet. Sehen Sie, was zurückkam:',
  'portal.test.seeResult': 'Ergebnis ansehen',
  'portal.test.notActivatedTitle': 'Nicht aktiviert',
  'portal.test.notActivatedHeading': '{name} wurde nicht aktiviert',
  'portal.test.backTo': '← Zurück zu {name}',
  'portal.test.refused.untested':
    'Führen Sie eine erfolgreiche Testanmeldung durch, bevor Sie diese Verbindung aktivieren.',
  'portal.test.refused.changed':
    'Die Verbindung wurde seit ihrer letzten erfolgreichen Testanmeldung geändert: Testen Sie sie erneut, bevor Sie sie aktivieren.',
  'portal.test.refused.checkFailed':
    'Die Verbindung hat ihre Live-Prüfungen nicht bestanden. Beheben Sie das Problem beim IdP oder hier und aktivieren Sie sie dann erneut.',
  'portal.test.refused.other':
    'Die Verbindung kann gerade nicht aktiviert werden. Laden Sie ihre Seite neu und versuchen Sie es noch einmal.',

  'portal.test.fix.emailMissingSaml':
    'Der IdP hat keine verwendbare E-Mail-Adresse gesendet. Fügen Sie ein Attribut-Statement namens „{attribute}“ hinzu, dessen Wert die E-Mail-Adresse des Benutzers ist (oder senden Sie die NameID im Format emailAddress).',
  'portal.test.fix.emailMissingOidc':
    'Der IdP hat keinen verwendbaren E-Mail-Claim gesendet. Fordern Sie den Scope „email“ an und stellen Sie sicher, dass der Benutzer beim IdP eine E-Mail-Adresse hat.',
  'portal.test.fix.subjectMissingSaml':
    'Der IdP hat keine verwendbare NameID gesendet (eine transiente ändert sich bei jeder Anmeldung). Senden Sie eine NameID im Format persistent oder emailAddress.',
  'portal.test.fix.subjectMissingOidc': 'Das ID-Token hat kein Subjekt („sub“).',
  'portal.test.fix.emailDomainNotAllowed':
    'Die Domain der E-Mail-Adresse ist keine der bestätigten Domains Ihrer Organisation. Bestätigen Sie diese Domain im Schritt „Domain“, oder melden Sie sich mit einer Adresse einer bestätigten Domain an.',
  'portal.test.fix.emailNotVerified':
    'Ihre Organisation verlangt bestätigte E-Mail-Adressen, und der IdP hat diese nicht als bestätigt gemeldet (OIDC: email_verified muss true sein).',
  'portal.test.fix.orgDisabled':
    'Ihre Organisation ist deaktiviert: Wenden Sie sich an das Plattform-Team.',
  'portal.test.fix.idpAccessDenied':
    'Die Anmeldung wurde beim IdP abgebrochen oder abgelehnt. Prüfen Sie, ob Ihr Konto dort der Anwendung zugewiesen ist, und testen Sie dann erneut.',
  'portal.test.fix.issuerMismatch':
    'Der IdP hat mit einem anderen Aussteller (Issuer) geantwortet als dem eingerichteten: Prüfen Sie die Issuer-URL genau (auch einen abschließenden Schrägstrich).',
  'portal.test.fix.samlIssuerMismatch':
    'Der Issuer der Antwort ist nicht die Entity-ID des IdP aus den Metadaten: Laden Sie die Metadaten dieser Anwendung erneut hoch.',
  'portal.test.fix.samlAudienceMismatch':
    'Die Audience der Assertion muss genau „{url}“ sein: Tragen Sie diesen Wert beim IdP als SP-Entity-ID (Audience URI) der Anwendung ein.',
  'portal.test.fix.audienceMismatch':
    'Die Audience des ID-Tokens ist nicht die Client-ID dieser Verbindung: Prüfen Sie die Client-ID.',
  'portal.test.fix.samlDestinationMismatch':
    'Die Antwort war für eine andere Adresse bestimmt: Setzen Sie die ACS-URL (Antwort-URL) beim IdP auf genau „{url}“.',
  'portal.test.fix.samlRecipientMismatch':
    'Der Recipient der Assertion muss genau „{url}“ sein: Tragen Sie diesen Wert beim IdP als ACS-URL (Antwort-URL) ein.',
  'portal.test.fix.samlSignatureInvalid':
    'Die Signatur ließ sich mit dem Zertifikat des IdP nicht prüfen: Der IdP hat sein Signaturzertifikat möglicherweise gewechselt. Laden Sie seine aktuellen Metadaten erneut hoch.',
  'portal.test.fix.samlCertificateUnknown':
    'Die Antwort wurde mit einem Zertifikat signiert, das die Verbindung nicht kennt: Laden Sie die aktuellen Metadaten des IdP hoch.',
  'portal.test.fix.samlAssertionUnsigned':
    'Die Assertion muss signiert sein: Stellen Sie den IdP so ein, dass er die Assertion signiert (oder die Antwort und die Assertion).',
  'portal.test.fix.samlSignatureAlgorithmWeak':
    'Der IdP signiert mit SHA-1: Stellen Sie RSA-SHA256 (oder stärker) ein.',
  'portal.test.fix.samlAssertionExpired':
    'Die Assertion war bei ihrer Ankunft bereits abgelaufen: Prüfen Sie die Uhr des IdP-Servers.',
  'portal.test.fix.samlAssertionNotYetValid':
    'Die Assertion ist noch nicht gültig: Prüfen Sie die Uhr des IdP-Servers.',
  'portal.test.check.assuranceSufficient':
    'Die Richtlinie Ihrer Organisation zur Anmeldestärke (MFA, phishing-resistent) ist erfüllt',
  'portal.test.assurance': 'Anmeldestärke',
  'portal.test.assuranceProven': '{acr} (Methoden: {amr}); Ihre Organisation verlangt {required}',
  'portal.test.assuranceNothingRequired': 'nicht mehr als ein Passwort',
  'portal.test.assuranceUnknown': 'keine Stufe, die Latchkey kennt',
  'portal.test.fix.samlNoAuthnContext':
    'Der IdP hat geantwortet, dass er nicht so stark wie verlangt anmelden kann (RequestedAuthnContext): Gleichen Sie die Anforderung der Verbindung mit den Klassen ab, die der IdP anbietet, und prüfen Sie, ob für die Anwendung beim IdP MFA eingerichtet ist.',
  'portal.test.fix.assuranceInsufficient':
    'Ihre Organisation verlangt MFA (oder eine phishing-resistente Anmeldung), und der IdP hat nicht angegeben, dass diese Anmeldung sie verwendet hat. Aktivieren Sie MFA für diese Anwendung beim IdP und lassen Sie sie mitteilen (OIDC: ein acr oder amr wie „mfa“; SAML: eine AuthnContextClassRef wie http://schemas.microsoft.com/claims/multipleauthn), oder ordnen Sie den Wert, den Ihr IdP sendet, in den Assurance-Einstellungen der Verbindung zu.',
  'portal.test.fix.signInNotFresh':
    'Der IdP hat mit einer früheren Anmeldung geantwortet, obwohl eine neue verlangt wurde (OIDC max_age=0, SAML ForceAuthn): Stellen Sie die Anwendung beim IdP so ein, dass sie eine erzwungene erneute Anmeldung beachtet.',
  'portal.test.fix.samlStatusNotSuccess':
    'Der IdP hat mit einem Fehlerstatus geantwortet: Prüfen Sie, ob der Benutzer beim IdP der Anwendung zugewiesen ist, und sehen Sie in dessen Protokolle.',
  'portal.test.fix.clientRejected':
    'Der IdP hat die Client-ID oder das Client-Secret abgelehnt: Kopieren Sie beide erneut.',
  'portal.test.fix.codeRejected':
    'Der IdP hat den Autorisierungscode abgelehnt: Prüfen Sie, ob die dort registrierte Redirect-URI genau „{url}“ lautet und das Client-Secret aktuell ist.',
  'portal.test.fix.idpUnreachable':
    'Latchkey konnte den IdP nicht erreichen: Prüfen Sie die Issuer- oder Metadaten-URL.',
  'portal.test.fix.idToken':
    'Das ID-Token des IdP ließ sich nicht prüfen: Prüfen Sie den Issuer, die Client-ID und die Signaturschlüssel des IdP (JWKS).',
  'portal.test.fix.saml':
    'Die SAML-Antwort hat ihre Prüfungen nicht bestanden: Laden Sie die aktuellen Metadaten hoch und vergleichen Sie die obigen Werte mit der Anwendung beim IdP.',
  'portal.test.fix.other':
    'Vergleichen Sie die beim IdP einzutragenden Werte mit seiner Anwendung und testen Sie dann erneut.',

  'portal.directory.title': 'Verzeichnissynchronisierung',
  'portal.directory.lead':
    'Ihr Identitätsanbieter legt Ihre Personen hier per SCIM 2.0 an, aktualisiert und entfernt sie.',
  'portal.directory.never': 'nie',
  'portal.directory.active': 'Aktiv',
  'portal.directory.disabled': 'Deaktiviert',
  'portal.directory.baseUrl': 'SCIM-Basis-URL',
  'portal.directory.bearerToken': 'Bearer-Token',
  'portal.directory.tokenShownAbove': 'das oben angezeigte Token',
  'portal.directory.tokenIssuedHere': 'ein auf dieser Seite ausgestelltes Token',
  'portal.directory.noErrors': 'Keine abgelehnten Anfragen.',
  'portal.directory.errorWhen': 'Zeitpunkt',
  'portal.directory.errorRequest': 'Anfrage',
  'portal.directory.errorStatus': 'Statuscode',
  'portal.directory.errorDetail': 'Einzelheiten',
  'portal.directory.syncStatus': 'Synchronisierungsstatus',
  'portal.directory.lastRequest': 'Letzte Anfrage',
  'portal.directory.lastChange': 'Letzte Änderung',
  'portal.directory.users': 'Benutzer',
  'portal.directory.activeUsers': 'Aktive Benutzer',
  'portal.directory.groups': 'Gruppen',
  'portal.directory.precision':
    'Die Zeiten können bis zu {count, plural, one {# Sekunde} other {# Sekunden}} nachgehen.',
  'portal.directory.recentErrors': 'Letzte Fehler',
  'portal.directory.errorsDropped':
    '{count, plural, one {# weiterer wurde gezählt, aber nicht gespeichert.} other {# weitere wurden gezählt, aber nicht gespeichert.}}',
  'portal.directory.tokens': 'Token',
  'portal.directory.noToken':
    'Noch kein Token: Ihr Identitätsanbieter kann keine Verbindung herstellen.',
  'portal.directory.issued': 'Ausgestellt',
  'portal.directory.ends': 'läuft ab',
  'portal.directory.revoke': 'Widerrufen',
  'portal.directory.rotate': 'Token erneuern',
  'portal.directory.issue': 'Token ausstellen',
  'portal.directory.rotateHint':
    'Ein neues Token wird einmal angezeigt. Zuvor ausgestellte Token funktionieren noch eine Weile, damit Sie Ihren Identitätsanbieter umstellen können; danach nicht mehr.',
  'portal.directory.disabledHint':
    'Dieses Verzeichnis ist deaktiviert: Seine Token funktionieren nicht.',
  'portal.directory.newToken': 'Ihr neues SCIM-Token',
  'portal.directory.copyNow':
    'Kopieren Sie es jetzt: Es wird nur dieses eine Mal angezeigt und kann nicht erneut angezeigt werden.',
  'portal.directory.setUpIdp': 'Ihren Identitätsanbieter einrichten',
  'portal.directory.setUp': 'Verzeichnissynchronisierung einrichten',
  'portal.directory.nameLabel': 'Name (zum Beispiel der Identitätsanbieter)',
  'portal.directory.revoked': 'Das Token wurde widerrufen: Es funktioniert nicht mehr.',
  'portal.directory.error.name': 'Geben Sie einen Namen mit 1 bis 200 Zeichen ein.',
  'portal.directory.error.other':
    'Das Verzeichnis kann gerade nicht eingerichtet werden. Versuchen Sie es erneut.',

  'portal.directory.guide.entra.step1':
    'Öffnen Sie Enterprise application → Provisioning → Automatic.',
  'portal.directory.guide.entra.step2':
    'Geben Sie die folgenden Werte ein und wählen Sie dann Test Connection (es sendet GET /Users?filter=userName eq "…" mit einem zufälligen Namen und erwartet eine leere Liste).',
  'portal.directory.guide.entra.attributes':
    'Behalten Sie die Standard-Attributzuordnungen bei (userName ← UPN, externalId ← mailNickname oder objectId, active ← Switch([IsSoftDeleted]…)); die Zeichenkette "False", die Entra ID für active sendet, wird verstanden.',
  'portal.directory.guide.okta.step1':
    'App → Provisioning → Integration: Aktivieren Sie Enable API integration mit SCIM.',
  'portal.directory.guide.okta.step2':
    'Unique identifier field: userName. Supported actions: Push New Users, Push Profile Updates (Okta aktualisiert per PUT und deaktiviert mit active: false), Push Groups. Authentication mode: HTTP Header.',
  'portal.directory.guide.okta.attributes':
    'Behalten Sie die Standardzuordnungen bei: userName, givenName, familyName, email (primäre geschäftliche E-Mail-Adresse). Push Groups überträgt die Gruppenmitgliedschaften.',
  'portal.directory.guide.google.step1':
    'Google Workspace überträgt Benutzer per SCIM nur an Apps aus seinem eigenen Katalog und kann daher nicht direkt auf diese Basis-URL verweisen.',
  'portal.directory.guide.google.step2':
    'Verwenden Sie einen Synchronisierungsdienst eines Drittanbieters, der Ihr Google-Verzeichnis liest und einen SCIM-2.0-Endpunkt beliefert: Geben Sie ihm die folgende Basis-URL und das Token.',
  'portal.directory.guide.google.attributes':
    'Ordnen Sie userName und die primäre geschäftliche E-Mail-Adresse der primären Google-E-Mail-Adresse zu, name.givenName und name.familyName dem Vor- und Nachnamen, active einem nicht gesperrten Konto. Google selbst sendet keine Gruppen.',
  'portal.directory.guide.google.caveat':
    'Über einen Dienst eines Drittanbieters: Latchkey testet diesen Dienst nicht und bietet dafür keinen Support.',
  'portal.directory.guide.google.baseUrl': 'SCIM-Basis-URL (im Tool des Drittanbieters)',
  'portal.directory.guide.onelogin.step1':
    'Öffnen Sie Applications → Add App → „SCIM Provisioner with SAML (SCIM v2 Enterprise)“.',
  'portal.directory.guide.onelogin.step2':
    'Registerkarte Configuration: Geben Sie die folgenden Werte ein und wählen Sie Enable für die API-Verbindung; Registerkarte Provisioning: Aktivieren Sie die Bereitstellung.',
  'portal.directory.guide.onelogin.attributes':
    'Behalten Sie die JSON-Vorlage v2 Enterprise SCIM bei (userName = E-Mail-Adresse, eine primäre geschäftliche E-Mail-Adresse, Name). Nehmen Sie keine Gruppen in die Vorlage auf: Gruppen werden über /Groups übertragen (Parameters → Groups, „Include in User Provisioning“).',
  'portal.directory.guide.jumpcloud.step1':
    'Öffnen Sie SSO Applications → Ihre Anwendung → Identity Management.',
  'portal.directory.guide.jumpcloud.step2':
    'Wählen Sie SCIM 2.0, geben Sie die folgenden Werte ein, wählen Sie Test Connection und dann Activate; binden Sie die bereitzustellenden Benutzergruppen.',
  'portal.directory.guide.jumpcloud.attributes':
    'JumpCloud sendet userName (die E-Mail-Adresse), Name, E-Mail-Adressen und active aus seinem Benutzerdatensatz; aktivieren Sie Group Management, um die gebundenen Gruppen zu übertragen.',

  'portal.audit.title': 'Audit-Protokoll',
  'portal.audit.lead': 'Die Ereignisse Ihrer Organisation, neueste zuerst. Zeiten in UTC.',
  'portal.audit.typeLabel': 'Ereignistyp',
  'portal.audit.typeExample': 'sso.connection.* oder user.login.succeeded',
  'portal.audit.fromLabel': 'Von (Tag in UTC)',
  'portal.audit.toLabel': 'Bis (Tag in UTC, einschließlich)',
  'portal.audit.outcomeLabel': 'Ergebnis',
  'portal.audit.any': 'Alle',
  'portal.audit.success': 'Erfolg',
  'portal.audit.failure': 'Fehlschlag',
  'portal.audit.filter': 'Filtern',
  'portal.audit.export':
    'Diese Ereignisse exportieren (älteste zuerst, höchstens {count, number}):',
  'portal.audit.time': 'Zeit',
  'portal.audit.event': 'Ereignis',
  'portal.audit.actor': 'Akteur',
  'portal.audit.target': 'Ziel',
  'portal.audit.none': 'Keine passenden Ereignisse.',
  'portal.audit.older': 'Ältere Ereignisse →',
  'portal.audit.error.type':
    'Geben Sie bis zu {count} durch Kommas getrennte Ereignistypen ein, die das Audit-Protokoll kennt: jeweils exakt (admin.user.deleted) oder als Präfix mit .* am Ende (admin.user.*).',
  'portal.audit.error.unknownType':
    'Das Audit-Protokoll kennt keinen Ereignistyp {name}. docs/audit-events.md führt sie auf; ein Präfix endet auf .* (admin.user.*).',
  'portal.audit.error.date': 'Geben Sie ein Datum wie 2026-03-01 ein.',
  'portal.audit.error.order': 'Der Tag „Bis“ darf nicht vor dem Tag „Von“ liegen.',
  'portal.audit.error.outcome': 'Wählen Sie Erfolg, Fehlschlag oder Alle.',
  'portal.audit.error.cursor':
    'Diese Liste älterer Ereignisse ist nicht mehr gültig: Filtern Sie erneut.',
  'portal.audit.error.format': 'Exportieren Sie als CSV oder JSON Lines.',
  'portal.audit.error.tooLarge':
    'Es passen mehr Ereignisse, als ein Export fasst ({count, number}). Schränken Sie die Filter ein (etwa mit einem kürzeren Zeitraum).',
  'portal.audit.error.other':
    'Diese Filter können nicht verwendet werden. Ändern Sie sie und filtern Sie erneut.',

  'portal.sessions.title': 'Sitzungen',
  'portal.sessions.lead':
    'Wer jetzt bei Ihrer Organisation angemeldet ist. Das Beenden einer Sitzung meldet das Gerät sofort ab, in jeder Anwendung.',
  'portal.sessions.emailLabel': 'E-Mail-Adresse des Benutzers (die Adresse oder ihr Anfang)',
  'portal.sessions.filter': 'Filtern',
  'portal.sessions.user': 'Benutzer',
  'portal.sessions.connection': 'Verbindung',
  'portal.sessions.device': 'Gerät',
  'portal.sessions.ip': 'IP-Adresse',
  'portal.sessions.signedIn': 'Angemeldet',
  'portal.sessions.lastActive': 'Zuletzt aktiv',
  'portal.sessions.actions': 'Aktionen',
  'portal.sessions.unknownUser': 'Unbekannter Benutzer',
  'portal.sessions.unknown': 'Unbekannt',
  'portal.sessions.end': 'Beenden',
  'portal.sessions.endLabel': 'Beenden: Sitzung von {email} auf {device}',
  'portal.sessions.endAll': 'Alle beenden',
  'portal.sessions.endAllLabel': 'Alle beenden: Sitzungen von {email}',
  'portal.sessions.noneForEmail': 'Keine aktiven Sitzungen für diese E-Mail-Adresse.',
  'portal.sessions.none': 'Keine aktiven Sitzungen.',
  'portal.sessions.next': 'Nächste Seite →',
  'portal.sessions.ended':
    '{count, plural, one {Eine Sitzung beendet.} other {# Sitzungen beendet.}}',
  'portal.sessions.error.email':
    'Geben Sie höchstens 320 Zeichen ein: eine E-Mail-Adresse oder ihren Anfang.',
};
