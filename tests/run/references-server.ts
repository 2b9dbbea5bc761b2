/**
 * A small Python server for tests/fixtures/specs/features/references.yaml that keeps its promises the way real
 * servers do (a venue's code unique, an event's venue must exist and its range be ordered, bookings made under
 * their event and read on their own, tickets found only under their event), written to a file and started by
 * the run-for-real tests (its port and a fault name as arguments).
 */
/** The server: `fault` = 'bookings-lost' answers 404 for every booking it is asked for. */
export const REFERENCES_SERVER = `
import json, re, sys, uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
FAULT = sys.argv[2]
venues, events, bookings, tickets = {}, {}, {}, {}
UUID = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', re.I)
def instant(value):
    if not isinstance(value, str) or not re.match(r'^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$', value):
        return None
    try: return datetime.fromisoformat(value.upper().replace('Z', '+00:00'))
    except ValueError: return None
def text(value, low, high): return isinstance(value, str) and low <= len(value) <= high
class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def reply(self, code, body=None):
        data = b'' if body is None else json.dumps(body).encode()
        self.send_response(code)
        if body is not None: self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data))); self.end_headers(); self.wfile.write(data)
    def problem(self, code, message): self.reply(code, {'message': message})
    def body(self):
        try: value = json.loads(self.rfile.read(int(self.headers.get('Content-Length') or 0)) or b'null')
        except ValueError: return None
        return value if isinstance(value, dict) else None
    def event_problem(self, body):
        if body is None or not text(body.get('title'), 1, 120): return 400, 'title'
        for key in ('venueId', 'startsAt', 'endsAt'):
            if key not in body: return 400, key
        if not isinstance(body['venueId'], str) or not UUID.match(body['venueId']): return 400, 'venueId'
        if 'organizerId' in body and (not isinstance(body['organizerId'], str) or not UUID.match(body['organizerId'])): return 400, 'organizerId'
        starts, ends = instant(body['startsAt']), instant(body['endsAt'])
        if starts is None or ends is None: return 400, 'dates'
        if body['venueId'] not in venues: return 422, 'no such venue'
        if 'organizerId' in body: return 422, 'no such organizer'
        if ends <= starts: return 422, 'endsAt must be after startsAt'
        return None
    def do_GET(self):
        parts = self.path.split('?')[0].strip('/').split('/')
        if parts == ['organizers']: return self.reply(200, [])
        if len(parts) == 2 and parts[0] == 'venues':
            return self.reply(200, venues[parts[1]]) if parts[1] in venues else self.problem(404, 'no venue')
        if len(parts) == 2 and parts[0] == 'events':
            return self.reply(200, events[parts[1]]) if parts[1] in events else self.problem(404, 'no event')
        if len(parts) == 2 and parts[0] == 'bookings':
            found = parts[1] in bookings and FAULT != 'bookings-lost'
            return self.reply(200, bookings[parts[1]]) if found else self.problem(404, 'no booking')
        if len(parts) == 4 and parts[0] == 'events' and parts[2] == 'tickets':
            ticket = tickets.get(parts[3])
            found = ticket is not None and ticket[0] == parts[1]
            return self.reply(200, ticket[1]) if found else self.problem(404, 'no ticket under this event')
        return self.refuse()
    def do_POST(self):
        parts = self.path.strip('/').split('/')
        body = self.body()
        if parts == ['venues']:
            if body is None or not text(body.get('name'), 1, 80): return self.problem(400, 'name')
            if not isinstance(body.get('code'), str) or not re.fullmatch(r'[A-Z]{3}[0-9]{2}', body['code']): return self.problem(400, 'code')
            if any(v['code'] == body['code'] for v in venues.values()): return self.problem(409, 'code in use')
            venue = {'id': str(uuid.uuid4()), 'code': body['code'], 'name': body['name']}
            venues[venue['id']] = venue
            return self.reply(201, venue)
        if parts == ['events']:
            problem = self.event_problem(body)
            if problem: return self.problem(*problem)
            event = {k: body[k] for k in ('venueId', 'title', 'startsAt', 'endsAt')}
            event['id'] = str(uuid.uuid4()); events[event['id']] = event
            return self.reply(201, event)
        if len(parts) == 3 and parts[0] == 'events' and parts[2] in ('bookings', 'tickets'):
            if parts[1] not in events: return self.problem(404, 'no event')
            if parts[2] == 'bookings':
                seats = (body or {}).get('seats')
                if not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= 10: return self.problem(400, 'seats')
                booking = {'id': str(uuid.uuid4()), 'eventId': parts[1], 'seats': seats}
                bookings[booking['id']] = booking
                return self.reply(201, booking)
            if not text((body or {}).get('holder'), 1, 40): return self.problem(400, 'holder')
            ticket = {'id': str(uuid.uuid4()), 'holder': body['holder']}
            tickets[ticket['id']] = (parts[1], ticket)
            return self.reply(201, ticket)
        return self.refuse()
    def do_PUT(self):
        parts = self.path.strip('/').split('/')
        if len(parts) != 2 or parts[0] != 'events': return self.refuse()
        body = self.body()
        problem = self.event_problem(body)
        if problem: return self.problem(*problem)
        if parts[1] not in events: return self.problem(404, 'no event')
        event = {k: body[k] for k in ('venueId', 'title', 'startsAt', 'endsAt')}
        event['id'] = parts[1]; events[parts[1]] = event
        return self.reply(200, event)
    def refuse(self): self.problem(405, 'method not allowed')
    do_PATCH = do_DELETE = refuse
ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
`;
