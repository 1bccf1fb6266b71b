/**
 * English messages of the setup portal's frame, its overview, the Domain and SSO steps and the IdP guides: a part of the source catalog (../en.ts spreads it in).
 * Keys are `portal.*`; every other locale's part has exactly these keys.
 *
 * The IdP guides (`portal.guide.*`, src/portal/idp-guides.ts) translate the sentences
 * around the IdP's own admin UI: the names of its consoles, menus, tabs and fields stay
 * as that UI shows them in English (→ separates a menu path), so the admin finds them.
 */
export const portalSetupEn = {
  'portal.back.allSteps': 'All steps',
  'portal.copy.button': 'Copy',
  'portal.copy.copied': 'Copied',
  'portal.copy.recordName': 'Copy the record name',
  'portal.copy.recordValue': 'Copy the record value',
  'portal.copy.acsUrl': 'Copy the ACS URL',
  'portal.copy.entityId': 'Copy the SP entity id',
  'portal.copy.metadataUrl': 'Copy the SP metadata URL',
  'portal.copy.nameIdFormat': 'Copy the NameID format',
  'portal.copy.attribute': 'Copy the {name} attribute name',
  'portal.copy.redirectUri': 'Copy the redirect URI',
  'portal.copy.scimBaseUrl': 'Copy the SCIM base URL',
  'portal.copy.scimToken': 'Copy the SCIM token',
  'portal.copy.scopes': 'Copy the scopes',
  'portal.form.refused': 'This was refused: {detail} ({reason})',

  'portal.invalid.title': 'Setup link not valid',
  'portal.invalid.heading': "This setup link can't be used",
  'portal.invalid.lead':
    'Setup links work once, for a limited time, and can be withdrawn. This one has been used, has expired, or is no longer valid.',
  'portal.invalid.next':
    'Ask the platform team that sent it (or your account manager) for a new link. If you had already opened it in this browser, go back to the tab you used.',
  'portal.ended.title': 'Setup session ended',
  'portal.ended.heading': 'Your setup session has ended',
  'portal.ended.lead':
    'The portal only works in the browser that opened the setup link, until the link expires or is withdrawn.',
  'portal.ended.next':
    'Ask the platform team that sent it (or your account manager) for a new link.',
  'portal.start.title': 'Set up sign-in',
  'portal.start.heading': 'Set up sign-in for your organization',
  'portal.start.lead':
    'This link opens a setup session in this browser. It works once: keep using this browser until you are done.',
  'portal.start.button': 'Start setup',

  'portal.home.title': 'Setup',
  'portal.home.heading': 'Set up {name}',
  'portal.home.yourOrganization': 'your organization',
  'portal.home.ends': 'This session ends at {time}.',
  'portal.home.steps': 'Steps',
  'portal.home.notYet': '(not available in the portal yet)',
  'portal.home.done': 'Done: go back',
  'portal.step.domain': 'publish a DNS TXT record and check it',
  'portal.step.sso': 'connect your identity provider',
  'portal.step.directoryTitle': 'Directory sync',
  'portal.step.directory': 'provision users from your directory with SCIM',
  'portal.step.auditTitle': 'Audit log',
  'portal.step.audit': "your organization's events",
  'portal.step.sessionsTitle': 'Sessions',
  'portal.step.sessions': 'who is signed in, and ending sessions',

  'portal.domain.heading': 'Verify your domain',
  'portal.domain.lead':
    "Prove your organization controls its email domain: your employees' sign-ins are then sent to your identity provider.",
  'portal.domain.verified': 'Verified',
  'portal.domain.pending': 'Not verified yet',
  'portal.domain.addRecord': 'Add this TXT record at your DNS provider, then check it:',
  'portal.domain.recordType': 'Type',
  'portal.domain.recordName': 'Name',
  'portal.domain.recordValue': 'Value',
  'portal.domain.check': 'Check now',
  'portal.domain.delay': 'DNS changes can take a few minutes to be seen.',
  'portal.domain.add': 'Add a domain',
  'portal.domain.label': 'Domain',
  'portal.domain.addButton': 'Add domain',
  'portal.domain.verifiedNotice': '{domain} is verified.',
  'portal.domain.failure.none': 'There is no TXT record at {record}.',
  'portal.domain.failure.mismatch': "No TXT record at {record} holds this domain's token.",
  'portal.domain.failure.lookup': 'The TXT lookup of {record} failed ({detail}).',
  'portal.domain.failure.todo':
    'Publish the TXT record shown above at your DNS provider, then check again.',
  'portal.domain.refused.taken':
    'This domain is already claimed by your organization, or verified by another organization.',
  'portal.domain.refused.invalid':
    'Enter a domain name on its own, such as example.com: no https://, no path, no email address.',

  'portal.sso.heading': 'Single sign-on',
  'portal.sso.lead':
    'Connect your identity provider: your employees then sign in with it. A new connection starts as a draft, and goes live only after a test sign-in passes.',
  'portal.sso.yours': 'Your connections',
  'portal.sso.column.name': 'Name',
  'portal.sso.column.protocol': 'Protocol',
  'portal.sso.column.status': 'Status',
  'portal.sso.none': 'None yet.',
  'portal.sso.add': 'Add a connection',
  'portal.sso.pick':
    'Pick your identity provider. Okta and Microsoft Entra ID are set up with SAML unless you choose their OpenID Connect option: SAML sends your groups without extra setup there.',
  'portal.sso.status.draft': 'Draft',
  'portal.sso.status.active': 'Active',
  'portal.sso.status.disabled': 'Disabled',
  'portal.sso.new.title': 'Connect {idp}',
  'portal.sso.new.headingWithProtocol': 'Connect {idp} ({protocol})',
  'portal.sso.new.lead': 'With {protocol}; the connection starts as a draft.',
  'portal.sso.new.otherProtocol': 'Prefer the other protocol?',
  'portal.sso.new.useOther': 'Use {protocol} instead',
  'portal.sso.new.atIdp': '1. At {idp}',
  'portal.sso.new.enter': '2. Enter these values there',
  'portal.sso.new.bringBack': "3. Bring back {idp}'s values",
  'portal.sso.values.spMetadataUrl': 'SP metadata URL',
  'portal.sso.values.attributes': '{label}: add these attribute statements, named exactly so.',
  'portal.sso.values.attributeName': 'Attribute name',
  'portal.sso.values.attributeSource': 'Value at the IdP',
  'portal.sso.values.scopes': 'Scopes',
  'portal.sso.values.claims': 'Claims read',
  'portal.sso.values.subject': "(the user's stable id)",
  'portal.sso.form.name': 'Connection name',
  'portal.sso.form.metadataOneWay':
    "Give the IdP's metadata one way: its URL, its file, or its text.",
  'portal.sso.form.metadataUrl': 'IdP metadata URL',
  'portal.sso.form.metadataFile': 'IdP metadata file',
  'portal.sso.form.metadataFileHint': 'An XML file, at most {count} KB.',
  'portal.sso.form.metadataXml': 'IdP metadata XML (pasted)',
  'portal.sso.form.createSaml': 'Create draft connection',
  'portal.sso.form.issuer': 'Issuer',
  'portal.sso.form.issuerHint':
    'For example {example}. Its discovery document is fetched when you send this form.',
  'portal.sso.form.createOidc': 'Check and create draft connection',
  'portal.sso.created':
    'Draft connection created. Enter these values at your IdP if you have not yet, then test it.',
  'portal.sso.connection.draft':
    '{protocol} connection. A draft: nobody signs in through it until it is activated.',
  'portal.sso.connection.active':
    '{protocol} connection. Active: your employees sign in through it.',
  'portal.sso.connection.disabled': '{protocol} connection. Disabled: nobody signs in through it.',
  'portal.sso.connection.values': 'The values to enter at your identity provider',
  'portal.sso.test.heading': 'Test and activate',
  'portal.sso.test.lead':
    'Sign in through this connection in a new tab, as one of your employees would.',
  'portal.sso.test.latest': 'Latest test:',
  'portal.sso.test.passed': 'passed',
  'portal.sso.test.failed': 'failed',
  'portal.sso.test.pending': 'pending',
  'portal.sso.test.report': 'What came back',
  'portal.sso.test.none': 'No test sign-in yet.',
  'portal.sso.test.button': 'Test sign-in',
  'portal.sso.test.activate': 'Activate',
  'portal.sso.test.activateLater':
    'Activate is available once a test sign-in has passed since the connection last changed.',

  'portal.sso.field.name': 'The name',
  'portal.sso.field.issuer': 'The issuer',
  'portal.sso.field.clientId': 'The client id',
  'portal.sso.field.clientSecret': 'The client secret',
  'portal.sso.field.metadataUrl': 'The metadata URL',
  'portal.sso.field.metadataXml': 'The metadata',
  'portal.sso.field.metadataFile': 'The metadata file',
  'portal.sso.field.other': 'This field',
  'portal.sso.refused.outOfDate':
    'This form is out of date: a connection was created from it already, or the values changed. Check the values above at your IdP, then send the form again.',
  'portal.sso.refused.fileTooLarge': 'The metadata file is larger than {count} KB.',
  'portal.sso.refused.fileNotXml': 'The metadata file must be an XML file; this one is {type}.',
  'portal.sso.refused.fileNotXmlText':
    'The metadata file is not an XML document (UTF-8 text starting with "<").',
  'portal.sso.refused.pastedTooLarge': 'The pasted metadata is larger than {count} KB.',
  'portal.sso.refused.metadataTwice':
    'Give the metadata one way only: its URL, its file or its text.',
  'portal.sso.refused.metadataMissing': "Give the IdP's metadata: its URL, its file or its text.",
  'portal.sso.refused.required': '{label} is required.',
  'portal.sso.refused.https': '{label} must be an https URL.',
  'portal.sso.refused.invalid': '{label} {detail}.',
  'portal.sso.refused.check': 'The check failed: {detail} ({reason})',
  'portal.sso.refused.fetch': 'The IdP metadata could not be fetched: {detail} ({reason})',
  'portal.sso.check.idpUnreachable': "the issuer's discovery document or keys could not be fetched",
  'portal.sso.check.issuerMismatch':
    'the discovery document names another issuer than the one entered',
  'portal.sso.check.clientRejected': 'the provider refused this client id and secret',

  'portal.guide.okta.step1':
    'In the Okta Admin Console, open Applications → Applications → Create App Integration.',
  'portal.guide.okta.step2':
    'Choose SAML 2.0, name the app, then fill in "Configure SAML" with the values below.',
  'portal.guide.okta.step3':
    'Tick "Use this for Recipient URL and Destination URL"; set Application username to Email.',
  'portal.guide.okta.attributes':
    'Attribute Statements, and Group Attribute Statements for groups (filter: Matches regex .*)',
  'portal.guide.okta.groups': 'the group filter',
  'portal.guide.okta.bringBack':
    'On the app\'s Sign On tab, under "SAML 2.0", copy the Metadata URL. Then assign people or groups on the Assignments tab.',
  'portal.guide.oktaOidc.step2':
    'Choose OIDC - OpenID Connect and Web Application; keep the grant type Authorization Code.',
  'portal.guide.oktaOidc.groupsClaim':
    'On the app\'s Sign On tab, edit "OpenID Connect ID Token": Groups claim type Filter, name groups, Matches regex .*',
  'portal.guide.oktaOidc.bringBack':
    'On the app\'s General tab, "Client Credentials" holds the Client ID and Client secret; the issuer is your Okta domain (https://your-org.okta.com).',
  'portal.guide.entra.step1':
    'In the Microsoft Entra admin center, open Enterprise applications → New application → Create your own application ("Integrate any other application you don\'t find in the gallery").',
  'portal.guide.entra.step2':
    'Open Single sign-on → SAML, and edit "Basic SAML Configuration" with the values below.',
  'portal.guide.entra.attributes':
    'Attributes & Claims (the first two are there by default; "Add a group claim" for groups)',
  'portal.guide.entra.bringBack':
    'Under "SAML Certificates", copy the App Federation Metadata Url. Then assign users and groups under "Users and groups".',
  'portal.guide.entraOidc.step1':
    'In the Microsoft Entra admin center, open App registrations → New registration.',
  'portal.guide.entraOidc.step2':
    'Under Redirect URI choose the Web platform and enter the value below; then, under Certificates & secrets, add a New client secret.',
  'portal.guide.entraOidc.clientSecret': 'Client secret Value (not its Secret ID)',
  'portal.guide.entraOidc.groupsClaim':
    'Under Token configuration, "Add groups claim" (ID token), and add the optional claim email.',
  'portal.guide.entraOidc.bringBack':
    "The app's Overview shows the Application (client) ID and the Directory (tenant) ID; the issuer is https://login.microsoftonline.com/'<Directory (tenant) ID>'/v2.0.",
  'portal.guide.google.step1':
    'In the Google Admin console, open Apps → Web and mobile apps → Add app → Add custom SAML app.',
  'portal.guide.google.step2':
    'Name the app; on "Google Identity Provider details" choose Download Metadata (you upload that file below).',
  'portal.guide.google.step3':
    'On "Service provider details", enter the values below; Name ID: Basic Information > Primary email.',
  'portal.guide.google.bringBack':
    'The metadata file you downloaded (GoogleIDPMetadata.xml): upload it below. Then turn the app ON for everyone (User access).',
  'portal.guide.adfs.step1':
    'In AD FS Management, open Relying Party Trusts → Add Relying Party Trust → Claims aware.',
  'portal.guide.adfs.step2':
    'Import the SP metadata URL below ("Import data about the relying party published online"), or enter the values by hand.',
  'portal.guide.adfs.step3':
    'Edit Claim Issuance Policy: "Send LDAP Attributes as Claims", then "Transform an Incoming Claim" for the Name ID.',
  'portal.guide.adfs.attributes': 'Send LDAP Attributes as Claims (outgoing claim types)',
  'portal.guide.adfs.bringBack':
    "Your federation service's metadata URL: https://'<your-adfs-host>'/FederationMetadata/2007-06/FederationMetadata.xml",
  'portal.guide.ping.step1':
    'In the PingFederate administrative console, open Applications → SP Connections → Create Connection.',
  'portal.guide.ping.step2':
    'Choose Browser SSO, protocol SAML 2.0; you may import the SP metadata URL below, or enter the values by hand.',
  'portal.guide.ping.step3':
    'In Browser SSO → Assertion Creation, extend the Attribute Contract and fulfil it from your data store.',
  'portal.guide.ping.bringBack':
    "The connection's metadata URL, https://'<your-pingfederate-host>':9031/pf/federation_metadata.ping?PartnerSpId='<the SP entity id above>', or its exported metadata file (Actions → Export Metadata).",
  'portal.guide.onelogin.step1':
    'In OneLogin Administration, open Applications → Add App, and choose "SAML Custom Connector (Advanced)".',
  'portal.guide.onelogin.step2':
    'On the Configuration tab enter the values below (ACS URL also as the Recipient and the ACS URL Validator).',
  'portal.guide.onelogin.step3':
    'On the Parameters tab add each attribute with "Include in SAML assertion" ticked.',
  'portal.guide.onelogin.groups': 'MemberOf (or User Roles)',
  'portal.guide.onelogin.bringBack': 'On the SSO tab, copy the Issuer URL: it is the metadata URL.',
  'portal.guide.jumpcloud.step1':
    'In the JumpCloud Admin Portal, open SSO Applications → Add New Application → Custom Application, and choose "Manage Single Sign-On (SSO)" with SAML 2.0.',
  'portal.guide.jumpcloud.step2':
    'Give the IdP Entity ID a name of your own (e.g. jumpcloud-latchkey), and enter the values below.',
  'portal.guide.jumpcloud.attributes': 'Attributes (and "Include group attribute" named groups)',
  'portal.guide.jumpcloud.groups': 'the group attribute',
  'portal.guide.jumpcloud.bringBack':
    'After saving, open the application and choose Export Metadata: upload that file below.',
  'portal.guide.saml.choice': 'Generic SAML 2.0',
  'portal.guide.saml.idp': 'your SAML identity provider',
  'portal.guide.saml.step1':
    'In your IdP, create a SAML 2.0 application (service provider) with the values below.',
  'portal.guide.saml.acsUrl': 'Assertion Consumer Service (ACS) URL, HTTP-POST binding',
  'portal.guide.saml.entityId': 'SP entity id (audience)',
  'portal.guide.saml.nameIdFormat': 'NameID format',
  'portal.guide.saml.attributes': 'Attribute statements',
  'portal.guide.saml.email': "the user's email",
  'portal.guide.saml.name': "the user's display name",
  'portal.guide.saml.groups': "the user's groups",
  'portal.guide.saml.bringBack': "Your IdP's SAML metadata: its URL, or the XML file or text.",
  'portal.guide.oidc.choice': 'Generic OpenID Connect',
  'portal.guide.oidc.idp': 'your OpenID Connect provider',
  'portal.guide.oidc.step1':
    'In your provider, register a confidential web client using the authorization code flow, with the redirect URI below.',
  'portal.guide.oidc.redirectUri': 'Redirect URI',
  'portal.guide.oidc.clientId': 'Client ID',
  'portal.guide.oidc.clientSecret': 'Client secret',
  'portal.guide.oidc.groupsClaim':
    'Have the ID token or userinfo carry the groups claim (some providers need a scope or a setting for it).',
  'portal.guide.oidc.bringBack':
    'The issuer (its /.well-known/openid-configuration must be reachable), the client id and the client secret.',
};

/** A locale's part: every key of the English part, none other. */
export type PortalSetupPart = Record<keyof typeof portalSetupEn, string>;
