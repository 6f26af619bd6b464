"""kazoo's empty-string ACL id: addAuth digest, then create with the ACL auth:'' (which kazoo
writes as jute's null string). Prints what the server answered as one JSON line.

Usage: python3 kazoo-auth.py HOST:PORT PATH
"""
import json
import sys

from kazoo.client import KazooClient
from kazoo.exceptions import KazooException
from kazoo.security import ACL, Id, Permissions

hosts, path = sys.argv[1], sys.argv[2]
zk = KazooClient(hosts=hosts, timeout=10)
zk.start(timeout=10)
try:
    zk.add_auth('digest', 'alice:alice-pw')
    out = {}
    try:
        out['created'] = zk.create(path, b'v', acl=[ACL(Permissions.ALL, Id('auth', ''))])
        acl, _stat = zk.get_acls(path)
        out['acl'] = ['%d:%s:%s' % (a.perms, a.id.scheme, a.id.id) for a in acl]
        out['data'] = zk.get(path)[0].decode('utf-8')
        zk.delete(path)
    except KazooException as e:
        out['error'] = type(e).__name__
    print(json.dumps(out))
finally:
    zk.stop()
    zk.close()
