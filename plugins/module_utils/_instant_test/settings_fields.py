# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API fields each instant-test type takes, per API version: what the ``settings`` option is checked against.

Private to this collection: may change at any time. ``V7_FIELDS`` is the vendor's v7 schema (the request models of
each ``POST /v7/tests/{type}/instant``); a unit test compares it with the schema, so it cannot drift. ``V6_FIELDS`` is
the v6 Test Metadata page (every type's own fields plus the fields every type has). The providers in ``_api/`` pick
their version's table. Adding a test type is one entry in each table the type exists in.
"""

from __future__ import annotations

from typing import Dict, FrozenSet


def _fields(names: str) -> FrozenSet[str]:
    return frozenset(names.split())


# v7: the declared fields of each type's instant request model, as the collection names the type.
V7_FIELDS: Dict[str, FrozenSet[str]] = {
    'agent-to-agent': _fields('_links agents createdBy createdDate description direction dscp dscpId fixedPacketRate labels '
                              'liveShare modifiedBy modifiedDate mss numPathTraces pathTraceMode port protocol '
                              'randomizedStartTime savedEvent sharedWithAccounts tags targetAgentId testId testName '
                              'throughputDuration throughputMeasurements throughputRate type'),
    'agent-to-server': _fields('_links agents bandwidthMeasurements continuousMode createdBy createdDate description dscp '
                               'dscpId fixedPacketRate ipv6Policy labels liveShare modifiedBy modifiedDate mtuMeasurements '
                               'networkMeasurements numPathTraces pathTraceMode pingPayloadSize probeMode protocol '
                               'randomizedStartTime savedEvent server sharedWithAccounts tags testId testName type'),
    'api': _fields('_links agents clientCertDomainsAllowList clientCertificate collectProxyNetworkData createdBy '
                   'createdDate credentials description distributedTracing followRedirects labels liveShare '
                   'modifiedBy modifiedDate mtuMeasurements networkMeasurements numPathTraces overrideAgentProxy '
                   'overrideProxyId pathTraceMode predefinedVariables probeMode protocol randomizedStartTime '
                   'requests savedEvent sharedWithAccounts sslVersionId tags targetTime testId testName timeLimit '
                   'type url vaultCredentials'),
    'dns-server': _fields('_links agents bandwidthMeasurements createdBy createdDate description dnsQueryClass dnsServers '
                          'dnsTransportProtocol domain fixedPacketRate ipv6Policy labels liveShare modifiedBy modifiedDate '
                          'mtuMeasurements networkMeasurements numPathTraces pathTraceMode probeMode protocol '
                          'randomizedStartTime recursiveQueries savedEvent sharedWithAccounts tags testId testName type'),
    'dns-trace': _fields('_links agents createdBy createdDate description dnsQueryClass dnsTransportProtocol domain '
                         'labels liveShare modifiedBy modifiedDate randomizedStartTime savedEvent sharedWithAccounts tags '
                         'testId testName type'),
    'dns-dnssec': _fields('_links agents createdBy createdDate description dnsQueryClass domain labels liveShare '
                          'modifiedBy modifiedDate randomizedStartTime savedEvent sharedWithAccounts tags testId testName '
                          'type'),
    'ftp-server': _fields('_links agents bandwidthMeasurements createdBy createdDate description downloadLimit '
                          'fixedPacketRate ftpTargetTime ftpTimeLimit ipv6Policy labels liveShare modifiedBy modifiedDate '
                          'mtuMeasurements networkMeasurements numPathTraces password pathTraceMode probeMode protocol '
                          'randomizedStartTime requestType savedEvent sharedWithAccounts tags testId testName type url '
                          'useActiveFtp useExplicitFtps username'),
    'http-server': _fields('_links agents allowUnsafeLegacyRenegotiation authType bandwidthMeasurements clientCertificate '
                           'collectProxyNetworkData contentRegex createdBy createdDate customHeaders description '
                           'desiredStatusCode distributedTracing dnsOverride downloadLimit fixedPacketRate followRedirects '
                           'headers httpTargetTime httpTimeLimit httpVersion includeHeaders ipv6Policy labels liveShare '
                           'modifiedBy modifiedDate mtuMeasurements networkMeasurements numPathTraces oAuth '
                           'overrideAgentProxy overrideProxyId password pathTraceMode postBody probeMode protocol '
                           'randomizedStartTime requestMethod savedEvent sharedWithAccounts sslVersion sslVersionId tags '
                           'testId testName type url useNtlm userAgent username vaultCredentials verifyCertificate'),
    'page-load': _fields('_links agents allowGeolocation allowMicAndCamera allowUnsafeLegacyRenegotiation authType '
                         'bandwidthMeasurements blockDomains browserLanguage chromeOptions chromePolicies chromiumTrack '
                         'clientCertificate collectProxyNetworkData contentRegex createdBy createdDate customHeaders '
                         'description desiredStatusCode disableScreenshot distributedTracing dnsOverride downloadLimit '
                         'emulatedDeviceId fixedPacketRate followRedirects httpTargetTime httpTimeLimit httpVersion '
                         'identifyAgentTrafficWithUserAgent includeHeaders labels liveShare modifiedBy modifiedDate '
                         'mtuMeasurements networkMeasurements numPathTraces oAuth overrideAgentProxy overrideProxyId '
                         'pageLoadTargetTime pageLoadTimeLimit pageLoadingStrategy password pathTraceMode probeMode '
                         'protocol randomizedStartTime savedEvent sharedWithAccounts sslVersion sslVersionId tags testId '
                         'testName type url useNtlm userAgent username vaultCredentials verifyCertificate'),
    'sip-server': _fields('_links agents createdBy createdDate description fixedPacketRate ipv6Policy labels liveShare '
                          'modifiedBy modifiedDate mtuMeasurements networkMeasurements numPathTraces optionsRegex '
                          'pathTraceMode probeMode randomizedStartTime registerEnabled savedEvent sharedWithAccounts '
                          'sipTargetTime sipTimeLimit tags targetSipCredentials testId testName type'),
    'voice': _fields('_links agents codec codecId createdBy createdDate description dscp dscpId duration jitterBuffer '
                     'labels liveShare modifiedBy modifiedDate numPathTraces port randomizedStartTime savedEvent '
                     'sharedWithAccounts tags targetAgentId testId testName type'),
    'web-transactions': _fields('_links agents allowGeolocation allowMicAndCamera allowUnsafeLegacyRenegotiation authType '
                                'bandwidthMeasurements blockDomains browserLanguage chromeOptions chromePolicies chromiumTrack '
                                'clientCertificate collectProxyNetworkData contentRegex createdBy createdDate credentials '
                                'customHeaders description desiredStatusCode disableScreenshot distributedTracing dnsOverride '
                                'downloadLimit emulatedDeviceId fixedPacketRate flagCollectConsoleLogs followRedirects '
                                'httpTargetTime httpTimeLimit httpVersion identifyAgentTrafficWithUserAgent includeHeaders '
                                'labels liveShare modifiedBy modifiedDate mtuMeasurements networkMeasurements numPathTraces '
                                'oAuth overrideAgentProxy overrideProxyId pageLoadingStrategy password pathTraceMode probeMode '
                                'protocol randomizedStartTime savedEvent sharedWithAccounts sslVersion sslVersionId tags '
                                'targetTime testId testName timeLimit transactionScript type url useNtlm userAgent username '
                                'vaultCredentials verifyCertificate'),
}

# v6: the fields every type has (reference: fields on every test type; interval and subinterval ignored for instant tests).
V6_COMMON = _fields('agents alertRules alertsEnabled apiLinks createdBy createdDate description enabled groups interval liveShare '
                    'modifiedBy modifiedDate savedEvent sharedWithAccounts subinterval testId testName type')
V6_FIELDS: Dict[str, FrozenSet[str]] = dict((name, V6_COMMON | own) for name, own in {
    'agent-to-server': _fields('bandwidthMeasurements bgpMeasurements bgpMonitors continuousMode dscpId fixedPacketRate '
                               'ipv6Policy mtuMeasurements networkMeasurements numPathTraces pathTraceMode pingPayloadSize port '
                               'probeMode protocol randomizedStartTime server usePublicBgp'),
    'agent-to-agent': _fields('bgpMeasurements bgpMonitors direction dscp dscpId mss numPathTraces pathTraceMode port protocol '
                              'targetAgentId throughputDuration throughputMeasurements throughputRate usePublicBgp'),
    'http-server': _fields('authType bandwidthMeasurements bgpMeasurements bgpMonitors clientCertificate contentRegex '
                           'customHeaders desiredStatusCode dnsOverride downloadLimit followRedirects headers '
                           'httpTargetTime httpTimeLimit httpVersion ipv6Policy mtuMeasurements networkMeasurements '
                           'numPathTraces password pathTraceMode postBody probeMode protocol sslVersion sslVersionId url '
                           'useNtlm usePublicBgp userAgent username verifyCertificate'),
    'page-load': _fields('allowGeolocation allowMicAndCamera authType bandwidthMeasurements bgpMeasurements bgpMonitors '
                         'blockDomains browserLanguage contentRegex customHeaders desiredStatusCode disableScreenshot '
                         'followRedirects '
                         'httpInterval httpTargetTime httpTimeLimit httpVersion includeHeaders ipv6Policy mtuMeasurements '
                         'networkMeasurements numPathTraces pageLoadTargetTime pageLoadTimeLimit pageLoadingStrategy '
                         'password pathTraceMode probeMode protocol sslVersion sslVersionId url useNtlm usePublicBgp '
                         'userAgent username verifyCertificate'),
    'web-transactions': _fields('allowGeolocation allowMicAndCamera authType bandwidthMeasurements bgpMeasurements bgpMonitors '
                                'blockDomains browserLanguage contentRegex credentials customHeaders desiredStatusCode '
                                'disableScreenshot followRedirects httpTargetTime httpTimeLimit httpVersion includeHeaders '
                                'ipv6Policy mtuMeasurements networkMeasurements numPathTraces pageLoadingStrategy password '
                                'pathTraceMode probeMode protocol sslVersion sslVersionId targetTime timeLimit transactionScript '
                                'url useNtlm usePublicBgp userAgent username verifyCertificate'),
    'ftp-server': _fields('bandwidthMeasurements bgpMeasurements bgpMonitors downloadLimit ftpTargetTime ftpTimeLimit mtuMeasurements '
                          'networkMeasurements numPathTraces password pathTraceMode probeMode protocol requestType url '
                          'useActiveFtp useExplicitFtps usePublicBgp username'),
    'dns-trace': _fields('dnsQueryClass dnsTransportProtocol domain'),
    'dns-server': _fields('bandwidthMeasurements bgpMeasurements bgpMonitors dnsQueryClass dnsServers dnsTransportProtocol '
                          'domain ipv6Policy mtuMeasurements networkMeasurements numPathTraces pathTraceMode probeMode '
                          'protocol recursiveQueries usePublicBgp'),
    'dns-dnssec': _fields('domain'),
    'sip-server': _fields('authUser bandwidthMeasurements bgpMeasurements bgpMonitors mtuMeasurements networkMeasurements '
                          'numPathTraces optionsRegex password pathTraceMode port probeMode protocol registerEnabled '
                          'server sipProxy sipRegistrar sipTargetTime sipTimeLimit targetSipCredentials usePublicBgp user'),
    'voice': _fields('bgpMeasurements bgpMonitors codec codecId dscp dscpId duration jitterBuffer networkMeasurements '
                     'numPathTraces pathTraceMode targetAgentId usePublicBgp'),
}.items())

# Fields only the API sets: refused in settings on both versions (they would only ever differ).
READ_ONLY = _fields('_links apiLinks codec createdBy createdDate dscp liveShare modifiedBy modifiedDate savedEvent sslVersion '
                    'testId type')

# Fields the API takes but never returns in a definition: never compared, so they never cause a recreation.
# v7: password is write-only; labels, tags and sharedWithAccounts are "not returned for Instant Tests".
V7_WRITE_ONLY = _fields('password labels tags sharedWithAccounts')
# v6: password is not echoed; the instant API accepts and ignores alerting, BGP and interval fields.
V6_WRITE_ONLY = _fields('password alertRules alertsEnabled bgpMeasurements bgpMonitors interval subinterval usePublicBgp')
