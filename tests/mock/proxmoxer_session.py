"""Drives the mock with Debian's python3-proxmoxer, a client nobody here
wrote: log in with a ticket and with an API token, list nodes, create a VM,
read and change its config, start it, wait for its task, list and delete
it; then the same CRUD on containers, pools and storage. Every response is
recorded (recorder.py) for the schema and model checks.
Usage: proxmoxer_session.py HOST:PORT CA_FILE route_metadata.json OUT.jsonl"""
import sys
import time

sys.path.insert(0, __import__('os').path.dirname(__file__))
import recorder  # noqa: E402

hostport, ca, metadata, out = sys.argv[1:5]
recorder.install(metadata, out)

from proxmoxer import ProxmoxAPI  # noqa: E402
from proxmoxer.core import ResourceException  # noqa: E402

host, port = hostport.rsplit(':', 1)
checks = 0


def check(cond, what):
    global checks
    if not cond:
        print('FAIL: ' + what, file=sys.stderr)
        sys.exit(1)
    checks += 1


def wait_task(api, node, upid):
    seen = []
    for _ in range(50):
        st = api.nodes(node).tasks(upid).status.get()
        seen.append(st['status'])
        if st['status'] == 'stopped':
            check(st.get('exitstatus') == 'OK', 'task %s exitstatus %r' % (upid, st.get('exitstatus')))
            log = api.nodes(node).tasks(upid).log.get()
            check(log[-1] == {'n': 2, 't': 'TASK OK'}, 'task log ' + repr(log))
            return seen
        time.sleep(0.05)
    check(False, 'task %s never stopped' % upid)


def last_response():
    with open(out) as f:
        return __import__('json').loads(f.readlines()[-1])


def expect_error(status, fn, what):
    try:
        fn()
    except ResourceException as e:
        check(e.status_code == status, '%s: HTTP %s, want %s' % (what, e.status_code, status))
        return e
    check(False, '%s: no error' % what)


def vm_session(api, label):
    nodes = api.nodes.get()
    check([n['node'] for n in nodes] == ['pve'], label + ': nodes ' + repr(nodes))
    vmid = int(api.cluster.nextid.get())
    check(vmid == 102, label + ': nextid %r' % vmid)
    upid = api.nodes('pve').qemu.create(vmid=vmid, name='web-' + label, memory=1024, cores=2,
                                        net0='virtio,bridge=vmbr0', onboot=True)
    check(upid.startswith('UPID:pve:') and ':qmcreate:%d:' % vmid in upid, label + ': create upid ' + upid)
    wait_task(api, 'pve', upid)
    conf = api.nodes('pve').qemu(vmid).config.get()
    check(conf['name'] == 'web-' + label and int(conf['memory']) == 1024 and int(conf['cores']) == 2,
          label + ': config ' + repr(conf))
    check(conf['onboot'] in (1, True), label + ': onboot ' + repr(conf['onboot']))
    api.nodes('pve').qemu(vmid).config.put(memory=4096, description='changed', delete='onboot')
    conf = api.nodes('pve').qemu(vmid).config.get()
    check(int(conf['memory']) == 4096 and conf['description'] == 'changed' and 'onboot' not in conf,
          label + ': changed config ' + repr(conf))
    upid = api.nodes('pve').qemu(vmid).config.post(cores=4)
    wait_task(api, 'pve', upid)
    check(int(api.nodes('pve').qemu(vmid).config.get()['cores']) == 4, label + ': async config')
    upid = api.nodes('pve').qemu(vmid).status.start.post()
    check(':qmstart:%d:' % vmid in upid, label + ': start upid ' + upid)
    seen = wait_task(api, 'pve', upid)
    check(seen[0] == 'running' and seen[-1] == 'stopped', label + ': task states ' + repr(seen))
    cur = api.nodes('pve').qemu(vmid).status.current.get()
    check(cur['status'] == 'running' and int(cur['vmid']) == vmid, label + ': status ' + repr(cur))
    vms = {int(v['vmid']): v for v in api.nodes('pve').qemu.get()}
    check(sorted(vms) == [100, vmid] and vms[vmid]['status'] == 'running' and
          vms[vmid]['name'] == 'web-' + label and vms[vmid]['maxmem'] == 4096 * 1048576,
          label + ': list ' + repr(vms))
    res = [r for r in api.cluster.resources.get(type='vm')]
    check(sorted(r['id'] for r in res) == ['lxc/101', 'qemu/100', 'qemu/%d' % vmid],
          label + ': resources ' + repr(res))
    expect_error(400, lambda: api.nodes('pve').qemu.create(vmid='abc', memory='lots'),
                 label + ': bad create')
    errors = last_response()['body'].get('errors') or {}
    check(sorted(errors) == ['memory', 'vmid'], label + ': errors ' + repr(errors))
    expect_error(500, lambda: api.nodes('pve').qemu.create(vmid=100), label + ': duplicate vmid')
    upid = api.nodes('pve').qemu(vmid).status.stop.post()
    wait_task(api, 'pve', upid)
    upid = api.nodes('pve').qemu(vmid).delete()
    check(':qmdestroy:%d:' % vmid in upid, label + ': destroy upid ' + upid)
    wait_task(api, 'pve', upid)
    check([int(v['vmid']) for v in api.nodes('pve').qemu.get()] == [100], label + ': deleted')
    expect_error(500, lambda: api.nodes('pve').qemu(vmid).config.get(), label + ': gone')


def families(api):
    # containers
    upid = api.nodes('pve').lxc.create(vmid=300, hostname='ct300', ostemplate='local:vztmpl/debian.tar.zst',
                                       memory=256, unprivileged=1)
    wait_task(api, 'pve', upid)
    check(api.nodes('pve').lxc(300).config.get()['hostname'] == 'ct300', 'lxc config')
    api.nodes('pve').lxc(300).config.put(memory=512)
    check(int(api.nodes('pve').lxc(300).config.get()['memory']) == 512, 'lxc config changed')
    wait_task(api, 'pve', api.nodes('pve').lxc(300).status.start.post())
    check(api.nodes('pve').lxc(300).status.current.get()['status'] == 'running', 'lxc running')
    check(sorted(int(c['vmid']) for c in api.nodes('pve').lxc.get()) == [101, 300], 'lxc list')
    expect_error(500, lambda: api.nodes('pve').lxc.create(vmid=100, ostemplate='local:vztmpl/x.tar.zst'),
                 'lxc vmid of a VM')
    wait_task(api, 'pve', api.nodes('pve').lxc(300).delete())
    check(sorted(int(c['vmid']) for c in api.nodes('pve').lxc.get()) == [101], 'lxc deleted')
    # clone and template: the copy is a guest of its own
    wait_task(api, 'pve', api.nodes('pve').qemu(100).clone.post(newid=150, name='copy'))
    check(api.nodes('pve').qemu(150).config.get()['name'] == 'copy', 'clone config')
    api.nodes('pve').qemu(150).template.post()
    check(int(api.nodes('pve').qemu(150).config.get()['template']) == 1, 'template flag')
    check(api.nodes('pve').qemu(150).status.current.get()['status'] == 'stopped', 'clone stopped')
    wait_task(api, 'pve', api.nodes('pve').qemu(150).delete())
    # pools
    api.pools.post(poolid='dev', comment='developers')
    check([p['poolid'] for p in api.pools.get()] == ['dev'], 'pool list')
    check(api.pools('dev').get()['comment'] == 'developers', 'pool read')
    api.pools('dev').put(comment='devs')
    check(api.pools('dev').get()['comment'] == 'devs', 'pool update')
    check([r['id'] for r in api.cluster.resources.get() if r['type'] == 'pool'] == ['/pool/dev'],
          'pool resource')
    api.pools('dev').delete()
    check(api.pools.get() == [], 'pool deleted')
    expect_error(500, lambda: api.pools('dev').get(), 'pool gone')
    # storage
    api.storage.post(storage='nfs1', type='nfs', server='10.0.0.1', export='/export', content='images')
    check(sorted(s['storage'] for s in api.storage.get()) == ['local', 'nfs1'], 'storage list')
    check(sorted(s['storage'] for s in api.nodes('pve').storage.get()) == ['local', 'nfs1'],
          'node storage list')
    api.storage('nfs1').put(content='images,iso')
    check(api.storage('nfs1').get()['content'] == 'images,iso', 'storage update')
    api.storage('nfs1').delete()
    check([s['storage'] for s in api.storage.get()] == ['local'], 'storage deleted')
    expect_error(500, lambda: api.nodes('pve').storage('nfs1').status.get(), 'storage gone')


# ticket login (cookie + CSRFPreventionToken on writes)
api = ProxmoxAPI(host, port=int(port), user='root@pam', password='proxmox', verify_ssl=ca)
vm_session(api, 'ticket')
# a wrong password is refused
try:
    ProxmoxAPI(host, port=int(port), user='root@pam', password='wrong', verify_ssl=ca).nodes.get()
    check(False, 'wrong password accepted')
except Exception as e:  # proxmoxer raises AuthenticationError or a requests error
    check('authenticate' in str(e).lower() or '401' in str(e), 'wrong password: ' + str(e))
# API token
tok = ProxmoxAPI(host, port=int(port), user='root@pam', token_name='mock',
                 token_value='00000000-0000-4000-8000-000000000000', verify_ssl=ca)
vm_session(tok, 'token')
families(tok)
bad = ProxmoxAPI(host, port=int(port), user='root@pam', token_name='mock', token_value='nope', verify_ssl=ca)
expect_error(401, lambda: bad.nodes.get(), 'wrong token')
print('proxmoxer session: %d checks passed' % checks)
