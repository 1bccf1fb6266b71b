import type { PortalSetupPart } from './en.js';

export const portalSetupDe: PortalSetupPart = {
  'portal.back.allSteps': 'Alle Schritte',
  'portal.copy.button': 'Kopieren',
  'portal.copy.copied': 'Kopiert',
  'portal.copy.recordName': 'Namen des Eintrags kopieren',
  'portal.copy.recordValue': 'Wert des Eintrags kopieren',
  'portal.copy.acsUrl': 'ACS-URL kopieren',
  'portal.copy.entityId': 'Entity-ID des SP kopieren',
  'portal.copy.metadataUrl': 'Metadaten-URL des SP kopieren',
  'portal.copy.nameIdFormat': 'NameID-Format kopieren',
  'portal.copy.attribute': 'Namen des Attributs {name} kopieren',
  'portal.copy.redirectUri': 'Weiterleitungs-URI kopieren',
  'portal.copy.scimBaseUrl': 'SCIM-Basis-URL kopieren',
  'portal.copy.scimToken': 'SCIM-Token kopieren',
  'portal.copy.scopes': 'Scopes kopieren',
  'portal.form.refused': 'Dies wurde abgelehnt: {detail} ({reason})',

  'portal.invalid.title': 'Einrichtungslink ungültig',
  'portal.invalid.heading': 'Dieser Einrichtungslink kann nicht verwendet werden',
  'portal.invalid.lead':
    'Einrichtungslinks funktionieren einmal, für begrenzte Zeit, und können zurückgezogen werden. Dieser wurde bereits verwendet, ist abgelaufen oder ist nicht mehr gültig.',
  'portal.invalid.next':
    'Bitten Sie das Plattform-Team, das ihn Ihnen gesendet hat (oder Ihre Kundenbetreuung), um einen neuen Link. Falls Sie ihn in diesem Browser bereits geöffnet hatten, kehren Sie zu dem Tab zurück, den Sie verwendet haben.',
  'portal.ended.title': 'Einrichtungssitzung beendet',
  'portal.ended.heading': 'Ihre Einrichtungssitzung ist beendet',
  'portal.ended.lead':
    'Das Portal funktioniert nur in dem Browser, der den Einrichtungslink geöffnet hat, und nur bis der Link abläuft oder zurückgezogen wird.',
  'portal.ended.next':
    'Bitten Sie das Plattform-Team, das ihn Ihnen gesendet hat (oder Ihre Kundenbetreuung), um einen neuen Link.',
  'portal.start.title': 'Anmeldung einrichten',
  'portal.start.heading': 'Anmeldung für Ihre Organisation einrichten',
  'portal.start.lead':
    'Dieser Link öffnet eine Einrichtungssitzung in diesem Browser. Er funktioniert nur einmal: Verwenden Sie diesen Browser weiter, bis Sie fertig sind.',
  'portal.start.button': 'Einrichtung starten',

  'portal.home.title': 'Einrichtung',
  'portal.home.heading': '{name} einrichten',
  'portal.home.yourOrganization': 'Ihre Organisation',
  'portal.home.ends': 'Diese Sitzung endet am {time}.',
  'portal.home.steps': 'Schritte',
  'portal.home.notYet': '(im Portal noch nicht verfügbar)',
  'portal.home.done': 'Fertig: zurück',
  'portal.step.domain': 'einen DNS-TXT-Eintrag veröffentlichen und prüfen',
  'portal.step.sso': 'Ihren Identitätsanbieter verbinden',
  'portal.step.directoryTitle': 'Verzeichnissynchronisierung',
  'portal.step.directory': 'Benutzer per SCIM aus Ihrem Verzeichnis bereitstellen',
  'portal.step.auditTitle': 'Audit-Protokoll',
  'portal.step.audit': 'die Ereignisse Ihrer Organisation',
  'portal.step.sessionsTitle': 'Sitzungen',
  'portal.step.sessions': 'wer angemeldet ist, und Sitzungen beenden',

  'portal.domain.heading': 'Ihre Domain bestätigen',
  'portal.domain.lead':
    'Weisen Sie nach, dass Ihre Organisation ihre E-Mail-Domain kontrolliert: Die Anmeldungen Ihrer Mitarbeitenden werden dann an Ihren Identitätsanbieter geleitet.',
  'portal.domain.verified': 'Bestätigt',
  'portal.domain.pending': 'Noch nicht bestätigt',
  'portal.domain.addRecord':
    'Legen Sie diesen TXT-Eintrag bei Ihrem DNS-Anbieter an und prüfen Sie ihn dann:',
  'portal.domain.recordType': 'Typ',
  'portal.domain.recordName': 'Eintragsname',
  'portal.domain.recordValue': 'Wert',
  'portal.domain.check': 'Jetzt prüfen',
  'portal.domain.delay': 'Es kann einige Minuten dauern, bis DNS-Änderungen sichtbar sind.',
  'portal.domain.add': 'Domain hinzufügen',
  'portal.domain.label': 'Domainname',
  'portal.domain.addButton': 'Domain hinzufügen',
  'portal.domain.verifiedNotice': '{domain} ist bestätigt.',
  'portal.domain.failure.none': 'Unter {record} gibt es keinen TXT-Eintrag.',
  'portal.domain.failure.mismatch':
    'Kein TXT-Eintrag unter {record} enthält das Token dieser Domain.',
  'portal.domain.failure.lookup': 'Die TXT-Abfrage von {record} ist fehlgeschlagen ({detail}).',
  'portal.domain.failure.todo':
    'Veröffentlichen Sie den oben gezeigten TXT-Eintrag bei Ihrem DNS-Anbieter und prüfen Sie dann erneut.',
  'portal.domain.refused.taken':
    'Diese Domain wurde bereits von Ihrer Organisation beansprucht oder von einer anderen Organisation bestätigt.',
  'portal.domain.refused.invalid':
    'Geben Sie nur den Domainnamen ein, zum Beispiel example.com: ohne https://, ohne Pfad und ohne E-Mail-Adresse.',

  'portal.sso.heading': 'Single Sign-On',
  'portal.sso.lead':
    'Verbinden Sie Ihren Identitätsanbieter: Ihre Mitarbeitenden melden sich dann darüber an. Eine neue Verbindung beginnt als Entwurf und wird erst aktiv, wenn eine Testanmeldung erfolgreich war.',
  'portal.sso.yours': 'Ihre Verbindungen',
  'portal.sso.column.name': 'Bezeichnung',
  'portal.sso.column.protocol': 'Protokoll',
  'portal.sso.column.status': 'Zustand',
  'portal.sso.none': 'Noch keine.',
  'portal.sso.add': 'Verbindung hinzufügen',
  'portal.sso.pick':
    'Wählen Sie Ihren Identitätsanbieter. Okta und Microsoft Entra ID werden mit SAML eingerichtet, sofern Sie nicht deren OpenID-Connect-Option wählen: SAML überträgt dort Ihre Gruppen ohne zusätzliche Einrichtung.',
  'portal.sso.status.draft': 'Entwurf',
  'portal.sso.status.active': 'Aktiv',
  'portal.sso.status.disabled': 'Deaktiviert',
  'portal.sso.new.title': '{idp} verbinden',
  'portal.sso.new.headingWithProtocol': '{idp} verbinden ({protocol})',
  'portal.sso.new.lead': 'Mit {protocol}; die Verbindung beginnt als Entwurf.',
  'portal.sso.new.otherProtocol': 'Lieber das andere Protokoll?',
  'portal.sso.new.useOther': 'Stattdessen {protocol} verwenden',
  'portal.sso.new.atIdp': '1. Bei Ihrem Identitätsanbieter ({idp})',
  'portal.sso.new.enter': '2. Tragen Sie dort diese Werte ein',
  'portal.sso.new.bringBack': '3. Die Werte Ihres Identitätsanbieters ({idp}) hier eintragen',
  'portal.sso.values.spMetadataUrl': 'Metadaten-URL des SP',
  'portal.sso.values.attributes':
    '{label}: Fügen Sie diese Attributanweisungen hinzu, genau so benannt.',
  'portal.sso.values.attributeName': 'Attributname',
  'portal.sso.values.attributeSource': 'Wert beim IdP',
  'portal.sso.values.scopes': 'Bereiche (Scopes)',
  'portal.sso.values.claims': 'Gelesene Claims',
  'portal.sso.values.subject': '(die dauerhafte Kennung des Benutzers)',
  'portal.sso.form.name': 'Name der Verbindung',
  'portal.sso.form.metadataOneWay':
    'Geben Sie die Metadaten des IdP auf einem Weg an: ihre URL, ihre Datei oder ihren Text.',
  'portal.sso.form.metadataUrl': 'Metadaten-URL des IdP',
  'portal.sso.form.metadataFile': 'Metadatendatei des IdP',
  'portal.sso.form.metadataFileHint': 'Eine XML-Datei, höchstens {count} KB.',
  'portal.sso.form.metadataXml': 'Metadaten-XML des IdP (eingefügt)',
  'portal.sso.form.createSaml': 'Verbindungsentwurf erstellen',
  'portal.sso.form.issuer': 'Aussteller (Issuer)',
  'portal.sso.form.issuerHint':
    'Zum Beispiel {example}. Sein Discovery-Dokument wird abgerufen, wenn Sie dieses Formular senden.',
  'portal.sso.form.createOidc': 'Prüfen und Verbindungsentwurf erstellen',
  'portal.sso.created':
    'Verbindungsentwurf erstellt. Tragen Sie diese Werte bei Ihrem IdP ein, falls noch nicht geschehen, und testen Sie ihn dann.',
  'portal.sso.connection.draft':
    '{protocol}-Verbindung. Ein Entwurf: Niemand meldet sich darüber an, bis sie aktiviert ist.',
  'portal.sso.connection.active':
    '{protocol}-Verbindung. Aktiv: Ihre Mitarbeitenden melden sich darüber an.',
  'portal.sso.connection.disabled':
    '{protocol}-Verbindung. Deaktiviert: Niemand meldet sich darüber an.',
  'portal.sso.connection.values': 'Die Werte, die Sie bei Ihrem Identitätsanbieter eintragen',
  'portal.sso.test.heading': 'Testen und aktivieren',
  'portal.sso.test.lead':
    'Melden Sie sich in einem neuen Tab über diese Verbindung an, so wie es Ihre Mitarbeitenden tun würden.',
  'portal.sso.test.latest': 'Letzter Test:',
  'portal.sso.test.passed': 'erfolgreich',
  'portal.sso.test.failed': 'fehlgeschlagen',
  'portal.sso.test.pending': 'ausstehend',
  'portal.sso.test.report': 'Was zurückkam',
  'portal.sso.test.none': 'Noch keine Testanmeldung.',
  'portal.sso.test.button': 'Testanmeldung',
  'portal.sso.test.activate': 'Aktivieren',
  'portal.sso.test.activateLater':
    'Aktivieren ist möglich, sobald seit der letzten Änderung der Verbindung eine Testanmeldung erfolgreich war.',

  'portal.sso.field.name': 'Der Name',
  'portal.sso.field.issuer': 'Der Aussteller',
  'portal.sso.field.clientId': 'Die Client-ID',
  'portal.sso.field.clientSecret': 'Das Client-Geheimnis',
  'portal.sso.field.metadataUrl': 'Die Metadaten-URL',
  'portal.sso.field.metadataXml': 'Die Metadaten',
  'portal.sso.field.metadataFile': 'Die Metadatendatei',
  'portal.sso.field.other': 'Dieses Feld',
  'portal.sso.refused.outOfDate':
    'Dieses Formular ist veraltet: Es wurde bereits eine Verbindung daraus erstellt, oder die Werte haben sich geändert. Prüfen Sie die Werte oben bei Ihrem IdP und senden Sie das Formular dann erneut.',
  'portal.sso.refused.fileTooLarge': 'Die Metadatendatei ist größer als {count} KB.',
  'portal.sso.refused.fileNotXml':
    'Die Metadatendatei muss eine XML-Datei sein; diese ist vom Typ {type}.',
  'portal.sso.refused.fileNotXmlText':
    'Die Metadatendatei ist kein XML-Dokument (UTF-8-Text, der mit „<“ beginnt).',
  'portal.sso.refused.pastedTooLarge': 'Die eingefügten Metadaten sind größer als {count} KB.',
  'portal.sso.refused.metadataTwice':
    'Geben Sie die Metadaten nur auf einem Weg an: ihre URL, ihre Datei oder ihren Text.',
  'portal.sso.refused.metadataMissing':
    'Geben Sie die Metadaten des IdP an: ihre URL, ihre Datei oder ihren Text.',
  'portal.sso.refused.required': '{label}: Angabe erforderlich.',
  'portal.sso.refused.https': '{label} muss eine https-URL sein.',
  'portal.sso.refused.invalid': '{label}: nicht angenommen ({detail}).',
  'portal.sso.refused.check': 'Die Prüfung ist fehlgeschlagen: {detail} ({reason})',
  'portal.sso.refused.fetch':
    'Die Metadaten des IdP konnten nicht abgerufen werden: {detail} ({reason})',
  'portal.sso.check.idpUnreachable':
    'Das Discovery-Dokument oder die Schlüssel des Ausstellers konnten nicht abgerufen werden',
  'portal.sso.check.issuerMismatch':
    'Das Discovery-Dokument nennt einen anderen Aussteller als den eingegebenen',
  'portal.sso.check.clientRejected':
    'Der Anbieter hat diese Client-ID und dieses Geheimnis abgelehnt',

  'portal.guide.okta.step1':
    'Öffnen Sie in der Okta Admin Console Applications → Applications → Create App Integration.',
  'portal.guide.okta.step2':
    'Wählen Sie SAML 2.0, benennen Sie die App und füllen Sie dann „Configure SAML“ mit den Werten unten aus.',
  'portal.guide.okta.step3':
    'Aktivieren Sie „Use this for Recipient URL and Destination URL“; setzen Sie Application username auf Email.',
  'portal.guide.okta.attributes':
    'Attribute Statements, und für Gruppen Group Attribute Statements (Filter: Matches regex .*)',
  'portal.guide.okta.groups': 'der Gruppenfilter',
  'portal.guide.okta.bringBack':
    'Kopieren Sie auf dem Tab Sign On der App unter „SAML 2.0“ die Metadata URL. Weisen Sie dann auf dem Tab Assignments Personen oder Gruppen zu.',
  'portal.guide.oktaOidc.step2':
    'Wählen Sie OIDC - OpenID Connect und Web Application; behalten Sie den Grant-Typ Authorization Code bei.',
  'portal.guide.oktaOidc.groupsClaim':
    'Bearbeiten Sie auf dem Tab Sign On der App „OpenID Connect ID Token“: Groups claim type Filter, Name groups, Matches regex .*',
  'portal.guide.oktaOidc.bringBack':
    'Auf dem Tab General der App enthält „Client Credentials“ die Client ID und das Client secret; der Aussteller ist Ihre Okta-Domain (https://your-org.okta.com).',
  'portal.guide.entra.step1':
    'Öffnen Sie im Microsoft Entra admin center Enterprise applications → New application → Create your own application („Integrate any other application you don’t find in the gallery“).',
  'portal.guide.entra.step2':
    'Öffnen Sie Single sign-on → SAML und bearbeiten Sie „Basic SAML Configuration“ mit den Werten unten.',
  'portal.guide.entra.attributes':
    'Attributes & Claims (die ersten beiden sind standardmäßig vorhanden; für Gruppen „Add a group claim“)',
  'portal.guide.entra.bringBack':
    'Kopieren Sie unter „SAML Certificates“ die App Federation Metadata Url. Weisen Sie dann unter „Users and groups“ Benutzer und Gruppen zu.',
  'portal.guide.entraOidc.step1':
    'Öffnen Sie im Microsoft Entra admin center App registrations → New registration.',
  'portal.guide.entraOidc.step2':
    'Wählen Sie unter Redirect URI die Plattform Web und geben Sie den Wert unten ein; fügen Sie dann unter Certificates & secrets ein New client secret hinzu.',
  'portal.guide.entraOidc.clientSecret': 'Client secret Value (nicht seine Secret ID)',
  'portal.guide.entraOidc.groupsClaim':
    'Unter Token configuration „Add groups claim“ (ID token) wählen und den optionalen Claim email hinzufügen.',
  'portal.guide.entraOidc.bringBack':
    "Die Overview der App zeigt die Application (client) ID und die Directory (tenant) ID; der Aussteller ist https://login.microsoftonline.com/'<Directory (tenant) ID>'/v2.0.",
  'portal.guide.google.step1':
    'Öffnen Sie in der Google Admin console Apps → Web and mobile apps → Add app → Add custom SAML app.',
  'portal.guide.google.step2':
    'Benennen Sie die App; wählen Sie unter „Google Identity Provider details“ Download Metadata (diese Datei laden Sie unten hoch).',
  'portal.guide.google.step3':
    'Geben Sie unter „Service provider details“ die Werte unten ein; Name ID: Basic Information > Primary email.',
  'portal.guide.google.bringBack':
    'Die heruntergeladene Metadatendatei (GoogleIDPMetadata.xml): Laden Sie sie unten hoch. Schalten Sie die App dann für alle ein (User access, ON).',
  'portal.guide.adfs.step1':
    'Öffnen Sie in AD FS Management Relying Party Trusts → Add Relying Party Trust → Claims aware.',
  'portal.guide.adfs.step2':
    'Importieren Sie die Metadaten-URL des SP unten („Import data about the relying party published online“) oder geben Sie die Werte von Hand ein.',
  'portal.guide.adfs.step3':
    'Bearbeiten Sie die Claim Issuance Policy: „Send LDAP Attributes as Claims“, dann „Transform an Incoming Claim“ für die Name ID.',
  'portal.guide.adfs.attributes': 'Send LDAP Attributes as Claims (ausgehende Claim-Typen)',
  'portal.guide.adfs.bringBack':
    "Die Metadaten-URL Ihres Verbunddienstes: https://'<your-adfs-host>'/FederationMetadata/2007-06/FederationMetadata.xml",
  'portal.guide.ping.step1':
    'Öffnen Sie in der PingFederate-Verwaltungskonsole Applications → SP Connections → Create Connection.',
  'portal.guide.ping.step2':
    'Wählen Sie Browser SSO, Protokoll SAML 2.0; Sie können die Metadaten-URL des SP unten importieren oder die Werte von Hand eingeben.',
  'portal.guide.ping.step3':
    'Erweitern Sie unter Browser SSO → Assertion Creation den Attribute Contract und befüllen Sie ihn aus Ihrem Datenspeicher.',
  'portal.guide.ping.bringBack':
    "Die Metadaten-URL der Verbindung, https://'<your-pingfederate-host>':9031/pf/federation_metadata.ping?PartnerSpId='<die Entity-ID des SP oben>', oder ihre exportierte Metadatendatei (Actions → Export Metadata).",
  'portal.guide.onelogin.step1':
    'Öffnen Sie in OneLogin Administration Applications → Add App und wählen Sie „SAML Custom Connector (Advanced)“.',
  'portal.guide.onelogin.step2':
    'Geben Sie auf dem Tab Configuration die Werte unten ein (die ACS URL auch als Recipient und als ACS URL Validator).',
  'portal.guide.onelogin.step3':
    'Fügen Sie auf dem Tab Parameters jedes Attribut mit aktiviertem „Include in SAML assertion“ hinzu.',
  'portal.guide.onelogin.groups': 'MemberOf (oder User Roles)',
  'portal.guide.onelogin.bringBack':
    'Kopieren Sie auf dem Tab SSO die Issuer URL: Sie ist die Metadaten-URL.',
  'portal.guide.jumpcloud.step1':
    'Öffnen Sie im JumpCloud Admin Portal SSO Applications → Add New Application → Custom Application und wählen Sie „Manage Single Sign-On (SSO)“ mit SAML 2.0.',
  'portal.guide.jumpcloud.step2':
    'Geben Sie der IdP Entity ID einen eigenen Namen (z. B. jumpcloud-latchkey) und tragen Sie die Werte unten ein.',
  'portal.guide.jumpcloud.attributes':
    'Attributes (und „Include group attribute“ mit dem Namen groups)',
  'portal.guide.jumpcloud.groups': 'das Gruppenattribut',
  'portal.guide.jumpcloud.bringBack':
    'Öffnen Sie nach dem Speichern die Anwendung und wählen Sie Export Metadata: Laden Sie diese Datei unten hoch.',
  'portal.guide.saml.choice': 'Generischer SAML-2.0-Anbieter',
  'portal.guide.saml.idp': 'SAML-Identitätsanbieter',
  'portal.guide.saml.step1':
    'Legen Sie in Ihrem IdP eine SAML-2.0-Anwendung (Service Provider) mit den Werten unten an.',
  'portal.guide.saml.acsUrl': 'Assertion-Consumer-Service-URL (ACS), Bindung HTTP-POST',
  'portal.guide.saml.entityId': 'Entity-ID des SP (Zielgruppe)',
  'portal.guide.saml.nameIdFormat': 'NameID-Format',
  'portal.guide.saml.attributes': 'Attributanweisungen',
  'portal.guide.saml.email': 'die E-Mail-Adresse des Benutzers',
  'portal.guide.saml.name': 'der Anzeigename des Benutzers',
  'portal.guide.saml.groups': 'die Gruppen des Benutzers',
  'portal.guide.saml.bringBack':
    'Die SAML-Metadaten Ihres IdP: ihre URL oder die XML-Datei bzw. der Text.',
  'portal.guide.oidc.choice': 'Generischer OpenID-Connect-Anbieter',
  'portal.guide.oidc.idp': 'OpenID-Connect-Anbieter',
  'portal.guide.oidc.step1':
    'Registrieren Sie bei Ihrem Anbieter einen vertraulichen Web-Client mit dem Authorization-Code-Flow und der Weiterleitungs-URI unten.',
  'portal.guide.oidc.redirectUri': 'Weiterleitungs-URI',
  'portal.guide.oidc.clientId': 'Client-ID',
  'portal.guide.oidc.clientSecret': 'Client-Geheimnis',
  'portal.guide.oidc.groupsClaim':
    'Sorgen Sie dafür, dass das ID-Token oder Userinfo den Claim groups enthält (manche Anbieter brauchen dafür einen Scope oder eine Einstellung).',
  'portal.guide.oidc.bringBack':
    'Der Aussteller (sein /.well-known/openid-configuration muss erreichbar sein), die Client-ID und das Client-Geheimnis.',
};
