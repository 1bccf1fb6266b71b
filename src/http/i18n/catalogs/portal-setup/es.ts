import type { PortalSetupPart } from './en.js';

export const portalSetupEs: PortalSetupPart = {
  'portal.back.allSteps': 'Todos los pasos',
  'portal.copy.button': 'Copiar',
  'portal.copy.copied': 'Copiado',
  'portal.copy.recordName': 'Copiar el nombre del registro',
  'portal.copy.recordValue': 'Copiar el valor del registro',
  'portal.copy.acsUrl': 'Copiar la URL de ACS',
  'portal.copy.entityId': 'Copiar el ID de entidad del SP',
  'portal.copy.metadataUrl': 'Copiar la URL de metadatos del SP',
  'portal.copy.nameIdFormat': 'Copiar el formato de NameID',
  'portal.copy.attribute': 'Copiar el nombre del atributo {name}',
  'portal.copy.redirectUri': 'Copiar el URI de redirección',
  'portal.copy.scimBaseUrl': 'Copiar la URL base de SCIM',
  'portal.copy.scimToken': 'Copiar el token de SCIM',
  'portal.copy.scopes': 'Copiar los ámbitos',
  'portal.form.refused': 'Se rechazó: {detail} ({reason})',

  'portal.invalid.title': 'Enlace de configuración no válido',
  'portal.invalid.heading': 'Este enlace de configuración no se puede usar',
  'portal.invalid.lead':
    'Los enlaces de configuración funcionan una sola vez, durante un tiempo limitado, y pueden retirarse. Este ya se usó, caducó o ya no es válido.',
  'portal.invalid.next':
    'Pida un enlace nuevo al equipo de plataforma que se lo envió (o a su gestor de cuenta). Si ya lo había abierto en este navegador, vuelva a la pestaña que usó.',
  'portal.ended.title': 'Sesión de configuración finalizada',
  'portal.ended.heading': 'Su sesión de configuración ha finalizado',
  'portal.ended.lead':
    'El portal solo funciona en el navegador que abrió el enlace de configuración, hasta que el enlace caduque o se retire.',
  'portal.ended.next':
    'Pida un enlace nuevo al equipo de plataforma que se lo envió (o a su gestor de cuenta).',
  'portal.start.title': 'Configurar el inicio de sesión',
  'portal.start.heading': 'Configurar el inicio de sesión de su organización',
  'portal.start.lead':
    'Este enlace abre una sesión de configuración en este navegador. Funciona una sola vez: siga usando este navegador hasta terminar.',
  'portal.start.button': 'Empezar la configuración',

  'portal.home.title': 'Configuración',
  'portal.home.heading': 'Configurar {name}',
  'portal.home.yourOrganization': 'su organización',
  'portal.home.ends': 'Esta sesión termina el {time}.',
  'portal.home.steps': 'Pasos',
  'portal.home.notYet': '(todavía no disponible en el portal)',
  'portal.home.done': 'Listo: volver',
  'portal.step.domain': 'publicar un registro DNS TXT y comprobarlo',
  'portal.step.sso': 'conectar su proveedor de identidad',
  'portal.step.directoryTitle': 'Sincronización de directorio',
  'portal.step.directory': 'aprovisionar usuarios desde su directorio con SCIM',
  'portal.step.auditTitle': 'Registro de auditoría',
  'portal.step.audit': 'los eventos de su organización',
  'portal.step.sessionsTitle': 'Sesiones',
  'portal.step.sessions': 'quién ha iniciado sesión, y cerrar sesiones',

  'portal.domain.heading': 'Verificar su dominio',
  'portal.domain.lead':
    'Demuestre que su organización controla su dominio de correo: los inicios de sesión de sus empleados se envían entonces a su proveedor de identidad.',
  'portal.domain.verified': 'Verificado',
  'portal.domain.pending': 'Aún sin verificar',
  'portal.domain.addRecord': 'Añada este registro TXT en su proveedor de DNS y luego compruébelo:',
  'portal.domain.recordType': 'Tipo',
  'portal.domain.recordName': 'Nombre',
  'portal.domain.recordValue': 'Valor',
  'portal.domain.check': 'Comprobar ahora',
  'portal.domain.delay': 'Los cambios de DNS pueden tardar unos minutos en verse.',
  'portal.domain.add': 'Añadir un dominio',
  'portal.domain.label': 'Dominio',
  'portal.domain.addButton': 'Añadir dominio',
  'portal.domain.verifiedNotice': '{domain} está verificado.',
  'portal.domain.failure.none': 'No hay ningún registro TXT en {record}.',
  'portal.domain.failure.mismatch':
    'Ningún registro TXT en {record} contiene el token de este dominio.',
  'portal.domain.failure.lookup': 'La consulta TXT de {record} falló ({detail}).',
  'portal.domain.failure.todo':
    'Publique el registro TXT que se muestra arriba en su proveedor de DNS y vuelva a comprobarlo.',
  'portal.domain.refused.taken':
    'Su organización ya reclamó este dominio, u otra organización ya lo verificó.',
  'portal.domain.refused.invalid':
    'Escriba solo el nombre de dominio, por ejemplo example.com: sin https://, sin ruta y sin dirección de correo.',

  'portal.sso.heading': 'Inicio de sesión único',
  'portal.sso.lead':
    'Conecte su proveedor de identidad: sus empleados iniciarán sesión con él. Una conexión nueva empieza como borrador y solo entra en funcionamiento cuando una prueba de inicio de sesión se supera.',
  'portal.sso.yours': 'Sus conexiones',
  'portal.sso.column.name': 'Nombre',
  'portal.sso.column.protocol': 'Protocolo',
  'portal.sso.column.status': 'Estado',
  'portal.sso.none': 'Ninguna todavía.',
  'portal.sso.add': 'Añadir una conexión',
  'portal.sso.pick':
    'Elija su proveedor de identidad. Okta y Microsoft Entra ID se configuran con SAML salvo que elija su opción OpenID Connect: con SAML, sus grupos se envían allí sin configuración adicional.',
  'portal.sso.status.draft': 'Borrador',
  'portal.sso.status.active': 'Activa',
  'portal.sso.status.disabled': 'Desactivada',
  'portal.sso.new.title': 'Conectar {idp}',
  'portal.sso.new.headingWithProtocol': 'Conectar {idp} ({protocol})',
  'portal.sso.new.lead': 'Con {protocol}; la conexión empieza como borrador.',
  'portal.sso.new.otherProtocol': '¿Prefiere el otro protocolo?',
  'portal.sso.new.useOther': 'Usar {protocol} en su lugar',
  'portal.sso.new.atIdp': '1. En {idp}',
  'portal.sso.new.enter': '2. Introduzca allí estos valores',
  'portal.sso.new.bringBack': '3. Traiga aquí los valores de {idp}',
  'portal.sso.values.spMetadataUrl': 'URL de metadatos del SP',
  'portal.sso.values.attributes':
    '{label}: añada estas declaraciones de atributos, con estos nombres exactos.',
  'portal.sso.values.attributeName': 'Nombre del atributo',
  'portal.sso.values.attributeSource': 'Valor en el IdP',
  'portal.sso.values.scopes': 'Ámbitos (scopes)',
  'portal.sso.values.claims': 'Claims leídos',
  'portal.sso.values.subject': '(el identificador estable del usuario)',
  'portal.sso.form.name': 'Nombre de la conexión',
  'portal.sso.form.metadataOneWay':
    'Indique los metadatos del IdP de una sola forma: su URL, su archivo o su texto.',
  'portal.sso.form.metadataUrl': 'URL de metadatos del IdP',
  'portal.sso.form.metadataFile': 'Archivo de metadatos del IdP',
  'portal.sso.form.metadataFileHint': 'Un archivo XML de {count} KB como máximo.',
  'portal.sso.form.metadataXml': 'XML de metadatos del IdP (pegado)',
  'portal.sso.form.createSaml': 'Crear la conexión como borrador',
  'portal.sso.form.issuer': 'Emisor (issuer)',
  'portal.sso.form.issuerHint':
    'Por ejemplo {example}. Su documento de descubrimiento se obtiene al enviar este formulario.',
  'portal.sso.form.createOidc': 'Comprobar y crear la conexión como borrador',
  'portal.sso.created':
    'Conexión creada como borrador. Introduzca estos valores en su IdP si aún no lo ha hecho y luego pruébela.',
  'portal.sso.connection.draft':
    'Conexión {protocol}. Un borrador: nadie inicia sesión con ella hasta que se active.',
  'portal.sso.connection.active':
    'Conexión {protocol}. Activa: sus empleados inician sesión con ella.',
  'portal.sso.connection.disabled':
    'Conexión {protocol}. Desactivada: nadie inicia sesión con ella.',
  'portal.sso.connection.values': 'Los valores que debe introducir en su proveedor de identidad',
  'portal.sso.test.heading': 'Probar y activar',
  'portal.sso.test.lead':
    'Inicie sesión con esta conexión en una pestaña nueva, como lo haría uno de sus empleados.',
  'portal.sso.test.latest': 'Última prueba:',
  'portal.sso.test.passed': 'superada',
  'portal.sso.test.failed': 'fallida',
  'portal.sso.test.pending': 'pendiente',
  'portal.sso.test.report': 'Lo que se recibió',
  'portal.sso.test.none': 'Todavía no hay ninguna prueba de inicio de sesión.',
  'portal.sso.test.button': 'Probar el inicio de sesión',
  'portal.sso.test.activate': 'Activar',
  'portal.sso.test.activateLater':
    'Podrá activarla cuando una prueba de inicio de sesión se haya superado desde el último cambio de la conexión.',

  'portal.sso.field.name': 'El nombre',
  'portal.sso.field.issuer': 'El emisor',
  'portal.sso.field.clientId': 'El ID de cliente',
  'portal.sso.field.clientSecret': 'El secreto de cliente',
  'portal.sso.field.metadataUrl': 'La URL de metadatos',
  'portal.sso.field.metadataXml': 'Los metadatos',
  'portal.sso.field.metadataFile': 'El archivo de metadatos',
  'portal.sso.field.other': 'Este campo',
  'portal.sso.refused.outOfDate':
    'Este formulario está desactualizado: ya se creó una conexión con él o los valores cambiaron. Compruebe los valores de arriba en su IdP y vuelva a enviar el formulario.',
  'portal.sso.refused.fileTooLarge': 'El archivo de metadatos supera los {count} KB.',
  'portal.sso.refused.fileNotXml':
    'El archivo de metadatos debe ser un archivo XML; este es de tipo {type}.',
  'portal.sso.refused.fileNotXmlText':
    'El archivo de metadatos no es un documento XML (texto UTF-8 que empieza por «<»).',
  'portal.sso.refused.pastedTooLarge': 'Los metadatos pegados superan los {count} KB.',
  'portal.sso.refused.metadataTwice':
    'Indique los metadatos de una sola forma: su URL, su archivo o su texto.',
  'portal.sso.refused.metadataMissing':
    'Indique los metadatos del IdP: su URL, su archivo o su texto.',
  'portal.sso.refused.required': '{label}: este dato es obligatorio.',
  'portal.sso.refused.https': '{label}: debe ser una URL https.',
  'portal.sso.refused.invalid': '{label}: no se aceptó ({detail}).',
  'portal.sso.refused.check': 'La comprobación falló: {detail} ({reason})',
  'portal.sso.refused.fetch': 'No se pudieron obtener los metadatos del IdP: {detail} ({reason})',
  'portal.sso.check.idpUnreachable':
    'no se pudo obtener el documento de descubrimiento o las claves del emisor',
  'portal.sso.check.issuerMismatch':
    'el documento de descubrimiento indica un emisor distinto del introducido',
  'portal.sso.check.clientRejected': 'el proveedor rechazó este ID de cliente y este secreto',

  'portal.guide.okta.step1':
    'En la Okta Admin Console, abra Applications → Applications → Create App Integration.',
  'portal.guide.okta.step2':
    'Elija SAML 2.0, ponga nombre a la aplicación y complete «Configure SAML» con los valores de abajo.',
  'portal.guide.okta.step3':
    'Marque «Use this for Recipient URL and Destination URL»; ponga Application username en Email.',
  'portal.guide.okta.attributes':
    'Attribute Statements, y Group Attribute Statements para los grupos (filtro: Matches regex .*)',
  'portal.guide.okta.groups': 'el filtro de grupos',
  'portal.guide.okta.bringBack':
    'En la pestaña Sign On de la aplicación, en «SAML 2.0», copie la Metadata URL. Después asigne personas o grupos en la pestaña Assignments.',
  'portal.guide.oktaOidc.step2':
    'Elija OIDC - OpenID Connect y Web Application; mantenga el tipo de concesión Authorization Code.',
  'portal.guide.oktaOidc.groupsClaim':
    'En la pestaña Sign On de la aplicación, edite «OpenID Connect ID Token»: Groups claim type Filter, nombre groups, Matches regex .*',
  'portal.guide.oktaOidc.bringBack':
    'En la pestaña General de la aplicación, «Client Credentials» contiene el Client ID y el Client secret; el emisor es su dominio de Okta (https://your-org.okta.com).',
  'portal.guide.entra.step1':
    'En el Microsoft Entra admin center, abra Enterprise applications → New application → Create your own application («Integrate any other application you don’t find in the gallery»).',
  'portal.guide.entra.step2':
    'Abra Single sign-on → SAML y edite «Basic SAML Configuration» con los valores de abajo.',
  'portal.guide.entra.attributes':
    'Attributes & Claims (los dos primeros están por defecto; «Add a group claim» para los grupos)',
  'portal.guide.entra.bringBack':
    'En «SAML Certificates», copie la App Federation Metadata Url. Después asigne usuarios y grupos en «Users and groups».',
  'portal.guide.entraOidc.step1':
    'En el Microsoft Entra admin center, abra App registrations → New registration.',
  'portal.guide.entraOidc.step2':
    'En Redirect URI elija la plataforma Web e introduzca el valor de abajo; después, en Certificates & secrets, añada un New client secret.',
  'portal.guide.entraOidc.clientSecret': 'Client secret Value (no su Secret ID)',
  'portal.guide.entraOidc.groupsClaim':
    'En Token configuration, «Add groups claim» (ID token), y añada el claim opcional email.',
  'portal.guide.entraOidc.bringBack':
    "La página Overview de la aplicación muestra el Application (client) ID y el Directory (tenant) ID; el emisor es https://login.microsoftonline.com/'<Directory (tenant) ID>'/v2.0.",
  'portal.guide.google.step1':
    'En la Google Admin console, abra Apps → Web and mobile apps → Add app → Add custom SAML app.',
  'portal.guide.google.step2':
    'Ponga nombre a la aplicación; en «Google Identity Provider details» elija Download Metadata (ese archivo lo sube abajo).',
  'portal.guide.google.step3':
    'En «Service provider details», introduzca los valores de abajo; Name ID: Basic Information > Primary email.',
  'portal.guide.google.bringBack':
    'El archivo de metadatos que descargó (GoogleIDPMetadata.xml): súbalo abajo. Después active la aplicación para todos (User access, ON).',
  'portal.guide.adfs.step1':
    'En AD FS Management, abra Relying Party Trusts → Add Relying Party Trust → Claims aware.',
  'portal.guide.adfs.step2':
    'Importe la URL de metadatos del SP de abajo («Import data about the relying party published online») o introduzca los valores a mano.',
  'portal.guide.adfs.step3':
    'Edite la Claim Issuance Policy: «Send LDAP Attributes as Claims» y luego «Transform an Incoming Claim» para el Name ID.',
  'portal.guide.adfs.attributes': 'Send LDAP Attributes as Claims (tipos de claim salientes)',
  'portal.guide.adfs.bringBack':
    "La URL de metadatos de su servicio de federación: https://'<your-adfs-host>'/FederationMetadata/2007-06/FederationMetadata.xml",
  'portal.guide.ping.step1':
    'En la consola de administración de PingFederate, abra Applications → SP Connections → Create Connection.',
  'portal.guide.ping.step2':
    'Elija Browser SSO, protocolo SAML 2.0; puede importar la URL de metadatos del SP de abajo o introducir los valores a mano.',
  'portal.guide.ping.step3':
    'En Browser SSO → Assertion Creation, amplíe el Attribute Contract y complételo desde su almacén de datos.',
  'portal.guide.ping.bringBack':
    "La URL de metadatos de la conexión, https://'<your-pingfederate-host>':9031/pf/federation_metadata.ping?PartnerSpId='<el ID de entidad del SP de arriba>', o su archivo de metadatos exportado (Actions → Export Metadata).",
  'portal.guide.onelogin.step1':
    'En OneLogin Administration, abra Applications → Add App y elija «SAML Custom Connector (Advanced)».',
  'portal.guide.onelogin.step2':
    'En la pestaña Configuration introduzca los valores de abajo (la ACS URL también como Recipient y como ACS URL Validator).',
  'portal.guide.onelogin.step3':
    'En la pestaña Parameters añada cada atributo con «Include in SAML assertion» marcado.',
  'portal.guide.onelogin.groups': 'MemberOf (o User Roles)',
  'portal.guide.onelogin.bringBack':
    'En la pestaña SSO, copie la Issuer URL: es la URL de metadatos.',
  'portal.guide.jumpcloud.step1':
    'En el JumpCloud Admin Portal, abra SSO Applications → Add New Application → Custom Application y elija «Manage Single Sign-On (SSO)» con SAML 2.0.',
  'portal.guide.jumpcloud.step2':
    'Dé a la IdP Entity ID un nombre propio (p. ej. jumpcloud-latchkey) e introduzca los valores de abajo.',
  'portal.guide.jumpcloud.attributes':
    'Attributes (e «Include group attribute» con el nombre groups)',
  'portal.guide.jumpcloud.groups': 'el atributo de grupo',
  'portal.guide.jumpcloud.bringBack':
    'Tras guardar, abra la aplicación y elija Export Metadata: suba ese archivo abajo.',
  'portal.guide.saml.choice': 'SAML 2.0 genérico',
  'portal.guide.saml.idp': 'su proveedor de identidad SAML',
  'portal.guide.saml.step1':
    'En su IdP, cree una aplicación SAML 2.0 (proveedor de servicios) con los valores de abajo.',
  'portal.guide.saml.acsUrl': 'URL del Assertion Consumer Service (ACS), enlace HTTP-POST',
  'portal.guide.saml.entityId': 'ID de entidad del SP (audiencia)',
  'portal.guide.saml.nameIdFormat': 'Formato de NameID',
  'portal.guide.saml.attributes': 'Declaraciones de atributos',
  'portal.guide.saml.email': 'el correo electrónico del usuario',
  'portal.guide.saml.name': 'el nombre visible del usuario',
  'portal.guide.saml.groups': 'los grupos del usuario',
  'portal.guide.saml.bringBack':
    'Los metadatos SAML de su IdP: su URL, o el archivo o el texto XML.',
  'portal.guide.oidc.choice': 'OpenID Connect genérico',
  'portal.guide.oidc.idp': 'su proveedor de OpenID Connect',
  'portal.guide.oidc.step1':
    'En su proveedor, registre un cliente web confidencial con el flujo authorization code y el URI de redirección de abajo.',
  'portal.guide.oidc.redirectUri': 'URI de redirección',
  'portal.guide.oidc.clientId': 'ID de cliente',
  'portal.guide.oidc.clientSecret': 'Secreto de cliente',
  'portal.guide.oidc.groupsClaim':
    'Haga que el ID token o userinfo incluya el claim groups (algunos proveedores necesitan para ello un ámbito o un ajuste).',
  'portal.guide.oidc.bringBack':
    'El emisor (su /.well-known/openid-configuration debe ser accesible), el ID de cliente y el secreto de cliente.',
};
