#!/usr/bin/env python3
# Jotform labels over plain urllib, sending exactly what jotform-api-python's fetch_url sends
# (github.com/jotform/jotform-api-python, jotform.py): the key in an `apiKey` header, GET parameters in the
# query string, POST parameters urlencoded (UTF-8), PUT bodies as json.dumps text, and no Content-Type of
# its own, so urllib adds `application/x-www-form-urlencoded` to every body. Written for labelmux's tests
# (test/transport-clients.test.ts) and the snippet in docs/dialects/jotform.md.
#
# Usage: jotform-urllib.py <base URL ending in /API/> <api key>; prints one JSON line of the results.
import json
import sys
import urllib.parse
import urllib.request


class JotformLabels:
    def __init__(self, api_key, base_url):
        self.api_key = api_key
        self.base_url = base_url

    def fetch_url(self, url, params=None, method='GET'):
        url = self.base_url + 'v1' + url
        headers = {'apiKey': self.api_key, 'User-Agent': 'JOTFORM_PYTHON_WRAPPER'}
        data = None
        if method == 'GET' and params:
            url = url + '?' + urllib.parse.urlencode(params)
        elif method == 'POST' and params:
            data = urllib.parse.urlencode(params).encode('utf-8')
        elif method == 'PUT' and params:
            data = params.encode('utf-8')
        req = urllib.request.Request(url, headers=headers, data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as response:
            return json.loads(response.read().decode('utf-8'))['content']

    def create_label(self, properties):
        return self.fetch_url('/label', properties, 'POST')

    def update_label(self, label_id, properties):
        return self.fetch_url('/label/' + label_id, json.dumps(properties), 'PUT')

    def add_resources(self, label_id, resources):
        return self.fetch_url('/label/' + label_id + '/add-resources', json.dumps({'resources': resources}), 'PUT')

    def remove_resources(self, label_id, resources):
        return self.fetch_url('/label/' + label_id + '/remove-resources', json.dumps({'resources': resources}), 'PUT')

    def get_label_resources(self, label_id, limit=20):
        return self.fetch_url('/label/' + label_id + '/resources', {'limit': limit}, 'GET')

    def delete_label(self, label_id):
        return self.fetch_url('/label/' + label_id, None, 'DELETE')


def main():
    client = JotformLabels(sys.argv[2], sys.argv[1])
    forms = [{'id': '232143945675058', 'type': 'form'}, {'id': '232143945675059', 'type': 'form'}]
    label = client.create_label({'name': 'Café', 'color': '#22c55e'})
    child = client.create_label({'name': 'Child', 'parent': label['id']})
    results = {
        'created': label,
        'child': child,
        'updated': client.update_label(label['id'], {'name': 'Renamed Café', 'color': '#123456'}),
        'added': client.add_resources(label['id'], forms),
        'listed': client.get_label_resources(label['id']),
        'removed': client.remove_resources(label['id'], forms[:1]),
        'after': client.get_label_resources(label['id']),
        'deleted': client.delete_label(child['id']),
    }
    print(json.dumps(results))


if __name__ == '__main__':
    main()
