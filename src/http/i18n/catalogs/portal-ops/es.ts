import type { PortalOpsPart } from './en.js';

/** Español (usted): inicio de sesión de prueba, sincronización de directorio, auditoría, sesiones. */
export const portalOpsEs: PortalOpsPart = {
  'portal.ops.allSteps': '← Todos los pasos',

  'portal.test.passedTitle': 'Inicio de sesión de prueba correcto',
  'portal.test.failedTitle': 'Inicio de sesión de prueba fallido',
  'portal.test.pendingTitle': 'Inicio de sesión de prueba sin terminar',
  'portal.test.reason': 'Motivo:',
  'portal.test.pending':
    'El IdP aún no ha respondido. Termine el inicio de sesión en la pestaña que se abrió o vuelva a probar.',
  'portal.test.wouldSucceed': 'Un inicio de sesión mediante esta conexión funcionaría.',
  'portal.test.received': 'Qué se recibió',
  'portal.test.subject': 'Sujeto (sub)',
  'portal.test.nameIdFormat': 'Formato de NameID',
  'portal.test.email': 'Correo electrónico',
  'portal.test.emailVerified': 'Correo electrónico verificado',
  'portal.test.yes': 'sí',
  'portal.test.no': 'no (sin verificar)',
  'portal.test.displayName': 'Nombre para mostrar',
  'portal.test.groups': 'Grupos',
  'portal.test.roles': 'Roles en Latchkey',
  'portal.test.noRoleMapping': 'sin asignación de roles',
  'portal.test.none': 'ninguno',
  'portal.test.checks': 'Comprobaciones',
  'portal.test.checkPassed': '✓ Superada',
  'portal.test.checkFailed': '✗ No superada',
  'portal.test.check.orgActive': 'Su organización puede iniciar sesión',
  'portal.test.check.subjectPresent': 'El IdP indicó quién es el usuario (NameID o sub)',
  'portal.test.check.emailUsable': 'Se recibió una dirección de correo electrónico',
  'portal.test.check.emailDomainAllowed':
    'El dominio del correo electrónico es uno de sus dominios verificados',
  'portal.test.check.emailVerified':
    'La dirección de correo electrónico está verificada (cuando su organización lo exige)',
  'portal.test.everything': 'Todo lo que envió el IdP ({count})',
  'portal.test.activate': 'Activar {name}',
  'portal.test.again': 'Volver a probar el inicio de sesión',
  'portal.test.finishedTitle': 'Inicio de sesión de prueba terminado',
  'portal.test.finishedLead': 'Su proveedor de identidad ha respondido. Vea qué se recibió:',
  'portal.test.seeResult': 'Ver el resultado',
  'portal.test.notActivatedTitle': 'No activada',
  'portal.test.notActivatedHeading': '{name} no se ha activado',
  'portal.test.backTo': '← Volver a {name}',
  'portal.test.refused.untested':
    'Realice un inicio de sesión de prueba correcto antes de activar esta conexión.',
  'portal.test.refused.changed':
    'La conexión ha cambiado desde su último inicio de sesión de prueba correcto: vuelva a probarla antes de activarla.',
  'portal.test.refused.checkFailed':
    'La conexión no superó sus comprobaciones en vivo; corríjala en el IdP o aquí y vuelva a activarla.',
  'portal.test.refused.other':
    'La conexión no se puede activar ahora. Vuelva a cargar su página e inténtelo de nuevo.',

  'portal.test.fix.emailMissingSaml':
    'El IdP no envió ningún correo electrónico utilizable. Añada una declaración de atributo llamada «{attribute}» cuyo valor sea la dirección de correo electrónico del usuario (o envíe el NameID en formato emailAddress).',
  'portal.test.fix.emailMissingOidc':
    'El IdP no envió ningún claim de correo electrónico utilizable. Incluya el scope «email» y asegúrese de que el usuario tenga una dirección de correo electrónico en el IdP.',
  'portal.test.fix.subjectMissingSaml':
    'El IdP no envió ningún NameID utilizable (uno transient cambia en cada inicio de sesión). Envíe un NameID persistent o emailAddress.',
  'portal.test.fix.subjectMissingOidc': 'El token de ID no tiene sujeto («sub»).',
  'portal.test.fix.emailDomainNotAllowed':
    'El dominio del correo electrónico no es uno de los dominios verificados de su organización. Verifique ese dominio en el paso Dominio o inicie sesión con una dirección de un dominio verificado.',
  'portal.test.fix.emailNotVerified':
    'Su organización exige direcciones de correo electrónico verificadas, y el IdP no indicó que esta lo esté (OIDC: email_verified debe ser true).',
  'portal.test.fix.orgDisabled':
    'Su organización está deshabilitada: consulte al equipo de la plataforma.',
  'portal.test.fix.idpAccessDenied':
    'El inicio de sesión se canceló o se rechazó en el IdP. Compruebe que su cuenta esté asignada a la aplicación allí y vuelva a probar.',
  'portal.test.fix.issuerMismatch':
    'El IdP respondió con un emisor distinto del configurado: compruebe exactamente la URL del emisor (incluida una posible barra final).',
  'portal.test.fix.samlIssuerMismatch':
    'El Issuer de la respuesta no es el ID de entidad del IdP de los metadatos: vuelva a cargar los metadatos de esta aplicación.',
  'portal.test.fix.samlAudienceMismatch':
    'La Audience de la aserción debe ser exactamente «{url}»: establézcala en el IdP como ID de entidad SP (Audience URI) de la aplicación.',
  'portal.test.fix.audienceMismatch':
    'La audiencia del token de ID no es el ID de cliente de esta conexión: compruebe el ID de cliente.',
  'portal.test.fix.samlDestinationMismatch':
    'La respuesta se envió para otra dirección: establezca en el IdP la URL de ACS (de respuesta) exactamente en «{url}».',
  'portal.test.fix.samlRecipientMismatch':
    'El Recipient de la aserción debe ser exactamente «{url}»: establézcalo en el IdP como URL de ACS (de respuesta).',
  'portal.test.fix.samlSignatureInvalid':
    'La firma no se pudo verificar con el certificado del IdP: es posible que el IdP haya cambiado su certificado de firma. Vuelva a cargar sus metadatos actuales.',
  'portal.test.fix.samlCertificateUnknown':
    'La respuesta se firmó con un certificado que la conexión no conoce: cargue los metadatos actuales del IdP.',
  'portal.test.fix.samlAssertionUnsigned':
    'La aserción debe estar firmada: configure el IdP para que firme la aserción (o la respuesta y la aserción).',
  'portal.test.fix.samlSignatureAlgorithmWeak':
    'El IdP firma con SHA-1: configúrelo con RSA-SHA256 (o uno más robusto).',
  'portal.test.fix.samlAssertionExpired':
    'La aserción ya había caducado al llegar: compruebe el reloj del servidor del IdP.',
  'portal.test.fix.samlAssertionNotYetValid':
    'La aserción aún no es válida: compruebe el reloj del servidor del IdP.',
  'portal.test.check.assuranceSufficient':
    'Se cumple la política de su organización sobre la solidez del inicio de sesión (MFA, resistente al phishing)',
  'portal.test.assurance': 'Solidez del inicio de sesión',
  'portal.test.assuranceProven': '{acr} (métodos: {amr}); su organización exige {required}',
  'portal.test.assuranceNothingRequired': 'nada más que una contraseña',
  'portal.test.assuranceUnknown': 'ningún nivel que Latchkey conozca',
  'portal.test.fix.samlNoAuthnContext':
    'El IdP respondió que no puede autenticar con la solidez solicitada (RequestedAuthnContext): compare la solicitud de la conexión con las clases que ofrece el IdP y compruebe que la aplicación del IdP tenga MFA configurada.',
  'portal.test.fix.assuranceInsufficient':
    'Su organización exige MFA (o un inicio de sesión resistente al phishing) y el IdP no indicó que este inicio de sesión la usara. Active la MFA para esta aplicación en el IdP y haga que lo indique (OIDC: un acr o amr como «mfa»; SAML: un AuthnContextClassRef como http://schemas.microsoft.com/claims/multipleauthn), o asigne el valor que envía su IdP en los ajustes de garantía de la conexión.',
  'portal.test.fix.signInNotFresh':
    'El IdP respondió con un inicio de sesión anterior aunque se pidió uno nuevo (OIDC max_age=0, SAML ForceAuthn): configure la aplicación del IdP para que respete la reautenticación forzada.',
  'portal.test.fix.samlStatusNotSuccess':
    'El IdP respondió con un estado de error: compruebe que el usuario esté asignado a la aplicación en el IdP y revise sus registros.',
  'portal.test.fix.clientRejected':
    'El IdP rechazó el ID de cliente o el secreto: vuelva a copiar ambos.',
  'portal.test.fix.codeRejected':
    'El IdP rechazó el código de autorización: compruebe que el URI de redirección registrado allí sea exactamente «{url}» y que el secreto de cliente esté vigente.',
  'portal.test.fix.idpUnreachable':
    'Latchkey no pudo conectar con el IdP: compruebe la URL del emisor o de los metadatos.',
  'portal.test.fix.idToken':
    'El token de ID del IdP no se pudo verificar: compruebe el emisor, el ID de cliente y las claves de firma del IdP (JWKS).',
  'portal.test.fix.saml':
    'La respuesta SAML no superó sus comprobaciones: cargue los metadatos actuales y compare los valores anteriores con la aplicación del IdP.',
  'portal.test.fix.other':
    'Compare los valores que debe introducir en el IdP con su aplicación y vuelva a probar.',

  'portal.directory.title': 'Sincronización de directorio',
  'portal.directory.lead':
    'Su proveedor de identidad crea, actualiza y elimina aquí a sus usuarios con SCIM 2.0.',
  'portal.directory.never': 'nunca',
  'portal.directory.active': 'Activo',
  'portal.directory.disabled': 'Deshabilitado',
  'portal.directory.baseUrl': 'URL base de SCIM',
  'portal.directory.bearerToken': 'Token de portador',
  'portal.directory.tokenShownAbove': 'el token que se muestra arriba',
  'portal.directory.tokenIssuedHere': 'un token emitido en esta página',
  'portal.directory.noErrors': 'No hay solicitudes rechazadas.',
  'portal.directory.errorWhen': 'Cuándo',
  'portal.directory.errorRequest': 'Solicitud',
  'portal.directory.errorStatus': 'Estado',
  'portal.directory.errorDetail': 'Detalle',
  'portal.directory.syncStatus': 'Estado de la sincronización',
  'portal.directory.lastRequest': 'Última solicitud',
  'portal.directory.lastChange': 'Último cambio',
  'portal.directory.users': 'Usuarios',
  'portal.directory.activeUsers': 'Usuarios activos',
  'portal.directory.groups': 'Grupos',
  'portal.directory.precision':
    'Las horas pueden tener hasta {count, plural, one {# segundo} other {# segundos}} de retraso.',
  'portal.directory.recentErrors': 'Errores recientes',
  'portal.directory.errorsDropped':
    '{count, plural, one {# más se contó, pero no se guardó.} other {# más se contaron, pero no se guardaron.}}',
  'portal.directory.tokens': 'Tokens de acceso',
  'portal.directory.noToken':
    'Todavía no hay ningún token: su proveedor de identidad no puede conectarse.',
  'portal.directory.issued': 'Emitido el',
  'portal.directory.ends': 'caduca el',
  'portal.directory.revoke': 'Revocar',
  'portal.directory.rotate': 'Renovar el token',
  'portal.directory.issue': 'Emitir un token',
  'portal.directory.rotateHint':
    'Un token nuevo se muestra una sola vez. Los tokens emitidos antes siguen funcionando un tiempo, para que pueda actualizar su proveedor de identidad; después dejan de funcionar.',
  'portal.directory.disabledHint': 'Este directorio está deshabilitado: sus tokens no funcionan.',
  'portal.directory.newToken': 'Su nuevo token de SCIM',
  'portal.directory.copyNow':
    'Cópielo ahora: se muestra esta única vez y no se podrá volver a mostrar.',
  'portal.directory.setUpIdp': 'Configure su proveedor de identidad',
  'portal.directory.setUp': 'Configurar la sincronización de directorio',
  'portal.directory.nameLabel': 'Nombre (por ejemplo, el proveedor de identidad)',
  'portal.directory.revoked': 'El token se ha revocado: ya no funciona.',
  'portal.directory.error.name': 'Introduzca un nombre de 1 a 200 caracteres.',
  'portal.directory.error.other': 'El directorio no se puede configurar ahora. Inténtelo de nuevo.',

  'portal.directory.guide.entra.step1': 'Abra Enterprise application → Provisioning → Automatic.',
  'portal.directory.guide.entra.step2':
    'Introduzca los valores de abajo y después Test Connection (envía GET /Users?filter=userName eq "…" con un nombre aleatorio y espera una lista vacía).',
  'portal.directory.guide.entra.attributes':
    'Mantenga las asignaciones de atributos predeterminadas (userName ← UPN, externalId ← mailNickname u objectId, active ← Switch([IsSoftDeleted]…)); se entiende la cadena "False" que Entra ID envía para active.',
  'portal.directory.guide.okta.step1':
    'App → Provisioning → Integration: active Enable API integration con SCIM.',
  'portal.directory.guide.okta.step2':
    'Unique identifier field: userName. Supported actions: Push New Users, Push Profile Updates (Okta actualiza con PUT y desactiva con active: false), Push Groups. Authentication mode: HTTP Header.',
  'portal.directory.guide.okta.attributes':
    'Mantenga las asignaciones predeterminadas: userName, givenName, familyName, email (correo electrónico laboral principal). Push Groups envía la pertenencia a grupos.',
  'portal.directory.guide.google.step1':
    'Google Workspace solo envía usuarios por SCIM a las aplicaciones de su propio catálogo, por lo que no se puede apuntar directamente a esta URL base.',
  'portal.directory.guide.google.step2':
    'Use un servicio de sincronización de terceros que lea su directorio de Google y aprovisione un endpoint SCIM 2.0: indíquele la URL base y el token de abajo.',
  'portal.directory.guide.google.attributes':
    'Asigne userName y el correo electrónico laboral principal al correo principal de Google, name.givenName y name.familyName al nombre y los apellidos, y active a que la cuenta no esté suspendida. Google por sí mismo no envía grupos.',
  'portal.directory.guide.google.caveat':
    'Mediante un servicio de terceros: Latchkey no prueba ese servicio ni le da soporte.',
  'portal.directory.guide.google.baseUrl': 'URL base de SCIM (en la herramienta de terceros)',
  'portal.directory.guide.onelogin.step1':
    'Abra Applications → Add App → «SCIM Provisioner with SAML (SCIM v2 Enterprise)».',
  'portal.directory.guide.onelogin.step2':
    'Pestaña Configuration: introduzca los valores de abajo y pulse Enable para la conexión de API; pestaña Provisioning: active el aprovisionamiento.',
  'portal.directory.guide.onelogin.attributes':
    'Mantenga la plantilla JSON v2 Enterprise SCIM (userName = correo electrónico, un correo laboral principal, nombre). No incluya grupos en la plantilla: los grupos se envían mediante /Groups (Parameters → Groups, «Include in User Provisioning»).',
  'portal.directory.guide.jumpcloud.step1':
    'Abra SSO Applications → su aplicación → Identity Management.',
  'portal.directory.guide.jumpcloud.step2':
    'Elija SCIM 2.0, introduzca los valores de abajo, Test Connection y después Activate; vincule los grupos de usuarios que se aprovisionarán.',
  'portal.directory.guide.jumpcloud.attributes':
    'JumpCloud envía userName (el correo electrónico), el nombre, los correos y active desde su registro de usuario; active Group Management para enviar los grupos vinculados.',

  'portal.audit.title': 'Registro de auditoría',
  'portal.audit.lead':
    'Los eventos de su organización, los más recientes primero. Las horas están en UTC.',
  'portal.audit.typeLabel': 'Tipo de evento',
  'portal.audit.typeExample': 'sso.connection.* o user.login.succeeded',
  'portal.audit.fromLabel': 'Desde (día UTC)',
  'portal.audit.toLabel': 'Hasta (día UTC, incluido)',
  'portal.audit.outcomeLabel': 'Resultado',
  'portal.audit.any': 'Cualquiera',
  'portal.audit.success': 'éxito',
  'portal.audit.failure': 'fallo',
  'portal.audit.filter': 'Filtrar',
  'portal.audit.export':
    'Exportar estos eventos (los más antiguos primero, como máximo {count, number}):',
  'portal.audit.time': 'Hora',
  'portal.audit.event': 'Evento',
  'portal.audit.actor': 'Autor',
  'portal.audit.target': 'Objetivo',
  'portal.audit.none': 'Ningún evento coincide.',
  'portal.audit.older': 'Eventos anteriores →',
  'portal.audit.error.type':
    'Introduzca hasta {count} tipos de evento separados por comas que el registro de auditoría conozca, cada uno exacto (admin.user.deleted) o un prefijo que termine en .* (admin.user.*).',
  'portal.audit.error.unknownType':
    'El registro de auditoría no tiene ningún tipo de evento {name}. docs/audit-events.md los enumera; un prefijo termina en .* (admin.user.*).',
  'portal.audit.error.date': 'Introduzca una fecha como 2026-03-01.',
  'portal.audit.error.order': 'El día «Hasta» no puede ser anterior al día «Desde».',
  'portal.audit.error.outcome': 'Elija éxito, fallo o cualquiera.',
  'portal.audit.error.cursor':
    'Esta lista de eventos anteriores ya no es válida: vuelva a filtrar.',
  'portal.audit.error.format': 'Exporte en CSV o en JSON Lines.',
  'portal.audit.error.tooLarge':
    'Coinciden más eventos de los que caben en una exportación ({count, number}). Acote los filtros (por ejemplo, con un intervalo de fechas más corto).',
  'portal.audit.error.other': 'Estos filtros no se pueden usar. Cámbielos y vuelva a filtrar.',

  'portal.sessions.title': 'Sesiones',
  'portal.sessions.lead':
    'Quién ha iniciado sesión en su organización ahora. Al finalizar una sesión, ese dispositivo se desconecta de inmediato en todas las aplicaciones.',
  'portal.sessions.emailLabel': 'Correo electrónico del usuario (la dirección o su comienzo)',
  'portal.sessions.filter': 'Filtrar',
  'portal.sessions.user': 'Usuario',
  'portal.sessions.connection': 'Conexión',
  'portal.sessions.device': 'Dispositivo',
  'portal.sessions.ip': 'Dirección IP',
  'portal.sessions.signedIn': 'Inicio de sesión',
  'portal.sessions.lastActive': 'Última actividad',
  'portal.sessions.actions': 'Acciones',
  'portal.sessions.unknownUser': 'Usuario desconocido',
  'portal.sessions.unknown': 'Desconocido',
  'portal.sessions.end': 'Finalizar',
  'portal.sessions.endLabel': 'Finalizar la sesión de {email} en {device}',
  'portal.sessions.endAll': 'Finalizar todas',
  'portal.sessions.endAllLabel': 'Finalizar todas las sesiones de {email}',
  'portal.sessions.noneForEmail': 'No hay sesiones activas para este correo electrónico.',
  'portal.sessions.none': 'No hay sesiones activas.',
  'portal.sessions.next': 'Página siguiente →',
  'portal.sessions.ended':
    '{count, plural, one {Se finalizó una sesión.} other {Se finalizaron # sesiones.}}',
  'portal.sessions.error.email':
    'Introduzca como máximo 320 caracteres: una dirección de correo electrónico o su comienzo.',
};
