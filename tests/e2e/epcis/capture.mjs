#!/usr/bin/env node
// End-to-end EPCIS 2.0 capture client for Portcullis, built with GS1's epcis2.js (a client nobody here
// wrote). It builds the documents with epcis2.js's classes, validates them with epcis2.js's own JSON-schema
// validation, and sends them over HTTPS to POST /epcis/capture (epcis2.js's capture()) and POST /epcis/events.
// One JSON line per response on stdout, for the C++ e2e test to assert on. See README.md.
//
//   node capture.mjs [--dry-run] [BASE_URL] [STEP...]
//   STEP: commission observe replay destroy invalid (default: all, in that order)
//
// Environment:
//   PORTCULLIS_URL            base URL when not given as an argument, e.g. https://127.0.0.1:8443
//   PORTCULLIS_CA             PEM file of the CA that signed the server certificate (trusted for this run only)
//   PORTCULLIS_DEVICE_TOKEN   bearer token of the device the events are captured as
//   PORTCULLIS_EPCIS_RUN      suffix that makes this run's EPCs unique (default 0001)
//   PORTCULLIS_EPCIS_READER   readPoint reader id (default rfid-audit-hall)
//   PORTCULLIS_EPCIS_RACK     bizLocation / home rack id (default rack-c01)
//   PORTCULLIS_EPCIS_WITNESSES  two person ids, comma-separated (default alice-nguyen,hana-sato)
//   PORTCULLIS_EPCIS_DESTROY_EPC  EPC the destroy step destroys (default: the second commissioned asset)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import epcis from 'epcis2.js';

const { EPCISDocument, ObjectEvent, ReadPoint, BizLocation, Ilmd, cbv, capture, setup } = epcis;

// ---- command line ---------------------------------------------------------------------------------------

const ALL_STEPS = ['commission', 'observe', 'replay', 'destroy', 'invalid'];
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const positional = args.filter((a) => !a.startsWith('--'));
const baseArg = positional.find((a) => /^https?:\/\//.test(a));
const steps = positional.filter((a) => a !== baseArg);
for (const s of steps) {
  if (!ALL_STEPS.includes(s)) {
    console.error(`capture.mjs: unknown step '${s}' (steps: ${ALL_STEPS.join(' ')})`);
    process.exit(2);
  }
}
const runSteps = steps.length > 0 ? steps : ALL_STEPS;
const baseUrl = (baseArg || process.env.PORTCULLIS_URL || '').replace(/\/+$/, '');
const caFile = process.env.PORTCULLIS_CA || '';
const token = process.env.PORTCULLIS_DEVICE_TOKEN || '';

if (!dryRun) {
  if (!baseUrl) {
    console.error('capture.mjs: give the base URL as an argument or in PORTCULLIS_URL (or use --dry-run)');
    process.exit(2);
  }
  if (!token) {
    console.error('capture.mjs: PORTCULLIS_DEVICE_TOKEN is not set');
    process.exit(2);
  }
}

// Node's fetch (which epcis2.js's capture() uses) takes its trusted CAs from the process start: trust the
// test CA by re-running this script once with NODE_EXTRA_CA_CERTS, instead of ever disabling verification.
// The re-run keeps Node's own flags (process.execArgv): the end-to-end test passes
// --dns-result-order=ipv4first, without which Debian 12's Node 18 sends "localhost" to ::1 and is refused.
if (!dryRun && caFile && process.env.NODE_EXTRA_CA_CERTS !== caFile) {
  readFileSync(caFile); // fail early and clearly when the file is missing
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
  });
  process.exit(child.status ?? 1);
}

// ---- vocabulary and site ids ----------------------------------------------------------------------------

const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const PORTCULLIS_NS = 'urn:portcullis:epcis:';
const CONTEXT = [EPCIS_CONTEXT, { portcullis: PORTCULLIS_NS }];

const run = process.env.PORTCULLIS_EPCIS_RUN || '0001';
const reader = process.env.PORTCULLIS_EPCIS_READER || 'rfid-audit-hall';
const rack = process.env.PORTCULLIS_EPCIS_RACK || 'rack-c01';
const witnesses = (process.env.PORTCULLIS_EPCIS_WITNESSES || 'alice-nguyen,hana-sato').split(',');
const assets = [1, 2].map((n) => ({
  epc: `urn:epc:id:giai:4012345.E2E-${run}-${n}`,
  tag: `E2E-${run}-${n}`,
  serial: `SN-E2E-${run}-${n}`,
}));
const destroyEpc = process.env.PORTCULLIS_EPCIS_DESTROY_EPC || assets[1].epc;

const now = () => new Date().toISOString(); // UTC; epcis2.js derives eventTimeZoneOffset (+00:00)

// The CBV 2.0 hash event ID (section 8.9.2), computed by epcis2.js over the final event: a retry of the
// same event carries the same eventID, which is what Portcullis keys idempotency on.
function withHashId(event) {
  event.generateHashID({ portcullis: PORTCULLIS_NS }, true);
  return event;
}

function documentOf(events) {
  const doc = new EPCISDocument();
  doc.setContext(CONTEXT).setCreationDate(now());
  for (const e of events) doc.addEvent(e);
  return doc;
}

// ---- the events, built with epcis2.js's classes ---------------------------------------------------------

function commissioningEvent(asset) {
  const e = new ObjectEvent()
    .setEventTime(now())
    .setAction(cbv.actionTypes.add)
    .setBizStep(cbv.bizSteps.commissioning)
    .setDisposition(cbv.dispositions.active)
    .addEPC(asset.epc)
    .setReadPoint(new ReadPoint({ id: `urn:portcullis:reader:${reader}` }))
    .setBizLocation(new BizLocation({ id: `urn:portcullis:rack:${rack}` }))
    .setIlmd(
      new Ilmd({
        'portcullis:assetTag': asset.tag,
        'portcullis:serial': asset.serial,
        'portcullis:model': 'NVIDIA DGX H100',
        'portcullis:kind': 'gpu_server',
        'portcullis:homeRack': rack,
      }),
    );
  return withHashId(e);
}

function observeEvent() {
  const e = new ObjectEvent()
    .setEventTime(now())
    .setAction(cbv.actionTypes.observe)
    .setBizStep(cbv.bizSteps.inspecting)
    .setReadPoint(new ReadPoint({ id: `urn:portcullis:reader:${reader}` }))
    .setBizLocation(new BizLocation({ id: `urn:portcullis:rack:${rack}` }));
  for (const a of assets) e.addEPC(a.epc);
  return withHashId(e);
}

function destroyingEvent({ withWitnesses }) {
  const e = new ObjectEvent()
    .setEventTime(now())
    .setAction(cbv.actionTypes.delete)
    .setBizStep(cbv.bizSteps.destroying)
    .setDisposition(cbv.dispositions.destroyed)
    .addEPC(destroyEpc)
    .setReadPoint(new ReadPoint({ id: `urn:portcullis:reader:${reader}` }));
  if (withWitnesses) e.addExtension('portcullis:witnesses', witnesses);
  e.addExtension('portcullis:destructionMethod', 'shred');
  return withHashId(e);
}

// ---- validation and sending -----------------------------------------------------------------------------

// epcis2.js's own JSON-schema validation: true, or the schema error text.
function validate(entity) {
  try {
    return entity.isValid() === true ? true : 'invalid';
  } catch (err) {
    return String(err && err.message ? err.message : err);
  }
}

async function bodyOf(response) {
  const text = await response.text();
  try {
    return text.length > 0 ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

function errorText(err) {
  const message = String(err && err.message ? err.message : err);
  const cause = err && err.cause ? err.cause.code || err.cause.message : '';
  return cause ? `${message}: ${cause}` : message;
}

function report(step, endpoint, fields) {
  process.stdout.write(`${JSON.stringify({ step, endpoint, ...fields })}\n`);
}

const authHeaders = { authorization: `Bearer ${token}`, accept: 'application/json' };

// A whole document through epcis2.js's capture(): POST {apiUrl}/capture, i.e. BASE_URL/epcis/capture.
// documentValidation is off here so that the invalid step reaches the server too; every document is
// validated by validate() before and the result is reported.
async function sendDocument(step, doc, eventIds) {
  const localValidation = validate(doc);
  if (dryRun) {
    report(step, '/epcis/capture', { dryRun: true, localValidation, eventIDs: eventIds, document: doc.toObject() });
    return;
  }
  try {
    const response = await capture(doc, {
      apiUrl: `${baseUrl}/epcis`,
      headers: authHeaders,
      documentValidation: false,
      timeout: 30000,
    });
    report(step, '/epcis/capture', {
      status: response.status,
      location: response.headers.get('location'),
      body: await bodyOf(response),
      localValidation,
      eventIDs: eventIds,
    });
  } catch (err) {
    report(step, '/epcis/capture', { error: errorText(err), localValidation });
    process.exitCode = 1;
  }
}

// A single event: POST BASE_URL/epcis/events with the event object as the body (epcis2.js has no
// single-event capture call, so this is plain fetch with the same headers).
async function sendEvent(step, eventObject, localValidation) {
  if (dryRun) {
    report(step, '/epcis/events', { dryRun: true, localValidation, eventID: eventObject.eventID, event: eventObject });
    return;
  }
  try {
    const response = await fetch(`${baseUrl}/epcis/events`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json' },
      body: JSON.stringify(eventObject),
      signal: AbortSignal.timeout(30000),
    });
    report(step, '/epcis/events', {
      status: response.status,
      location: response.headers.get('location'),
      body: await bodyOf(response),
      localValidation,
      eventID: eventObject.eventID ?? null,
    });
  } catch (err) {
    report(step, '/epcis/events', { error: errorText(err), localValidation });
    process.exitCode = 1;
  }
}

// ---- the steps ------------------------------------------------------------------------------------------

let observed = null; // the observe step's event, replayed unchanged by the replay step

const stepsImpl = {
  // (a) two assets commissioned into the rack, one document.
  async commission() {
    const events = assets.map(commissioningEvent);
    await sendDocument('commission', documentOf(events), events.map((e) => e.getEventID()));
  },
  // (b) both assets read by the reader, as a single event.
  async observe() {
    observed = observeEvent();
    await sendEvent('observe', { '@context': CONTEXT, ...observed.toObject() }, validate(observed));
  },
  // (b') the same event again (same eventID): the server must answer as before and change nothing.
  async replay() {
    if (!observed) observed = observeEvent();
    await sendEvent('replay', { '@context': CONTEXT, ...observed.toObject() }, validate(observed));
  },
  // (c) destruction of one asset witnessed by two distinct persons.
  async destroy() {
    const e = destroyingEvent({ withWitnesses: true });
    await sendDocument('destroy', documentOf([e]), [e.getEventID()]);
  },
  // (d) refusals, each expected to name its field:
  //   invalid-action   epcisBody.eventList[1].action (epcis2.js's validation refuses it too)
  //   missing-event-id eventID (valid EPCIS, but Portcullis requires eventID for idempotency)
  //   no-witnesses     epcisBody.eventList[0].portcullis:witnesses
  async invalid() {
    const good = observeEvent();
    const bad = new ObjectEvent()
      .setEventTime(now())
      .setAction('DESTROY')
      .addEPC(assets[0].epc)
      .setReadPoint(new ReadPoint({ id: `urn:portcullis:reader:${reader}` }));
    bad.setEventID(`urn:uuid:00000000-0000-4000-8000-${run.padStart(12, '0').slice(-12)}`);
    await sendDocument('invalid-action', documentOf([good, bad]), [good.getEventID(), bad.getEventID()]);

    const noId = new ObjectEvent()
      .setEventTime(now())
      .setAction(cbv.actionTypes.observe)
      .addEPC(assets[0].epc)
      .setReadPoint(new ReadPoint({ id: `urn:portcullis:reader:${reader}` }));
    await sendEvent('missing-event-id', { '@context': CONTEXT, ...noId.toObject() }, validate(noId));

    const unwitnessed = destroyingEvent({ withWitnesses: false });
    await sendDocument('no-witnesses', documentOf([unwitnessed]), [unwitnessed.getEventID()]);
  },
};

setup({ documentValidation: false });
for (const step of runSteps) {
  // eslint-disable-next-line no-await-in-loop
  await stepsImpl[step]();
}
// Keep-alive sockets would hold the process until the server's idle timeout: the work is done, leave now
// (stdout to a pipe is synchronous on Linux, so every line is out).
process.exit(0);
