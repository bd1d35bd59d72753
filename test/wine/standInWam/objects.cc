#include "objects.h"

namespace standin {

ObjectIterator::ObjectIterator(std::vector<IInspectable*> items, const GUID& iid)
    : Object("Windows.Foundation.Collections.IIterator`1"), items_(std::move(items)), iid_(iid) {
  for (auto* i : items_) i->AddRef();
}
ObjectIterator::~ObjectIterator() {
  for (auto* i : items_) i->Release();
}
HRESULT ObjectIterator::get_Current(void** current) {
  if (index_ >= items_.size()) return E_BOUNDS;
  items_[index_]->AddRef();
  *current = items_[index_];
  return S_OK;
}
HRESULT ObjectIterator::GetMany(UINT32 capacity, void** items, UINT32* actual) {
  UINT32 n = 0;
  for (; n < capacity && index_ < items_.size(); ++n, ++index_) {
    items_[index_]->AddRef();
    items[n] = items_[index_];
  }
  *actual = n;
  return S_OK;
}

ObjectVector::ObjectVector(std::vector<IInspectable*> items, const GUID& vector_iid, const GUID& iterable_iid,
                           const GUID& iterator_iid)
    : Object("Windows.Foundation.Collections.IVectorView`1"),
      items_(std::move(items)),
      vector_iid_(vector_iid),
      iterable_iid_(iterable_iid),
      iterator_iid_(iterator_iid) {
  for (auto* i : items_) i->AddRef();
}
ObjectVector::~ObjectVector() {
  for (auto* i : items_) i->Release();
}
HRESULT ObjectVector::GetAt(UINT32 index, void** item) {
  if (index >= items_.size()) return E_BOUNDS;
  items_[index]->AddRef();
  *item = items_[index];
  return S_OK;
}
HRESULT ObjectVector::IndexOf(void* value, UINT32* index, boolean* found) {
  *found = 0;
  *index = 0;
  for (UINT32 i = 0; i < items_.size(); ++i) {
    if (items_[i] == value) {
      *found = 1;
      *index = i;
      break;
    }
  }
  return S_OK;
}
HRESULT ObjectVector::GetMany(UINT32 start, UINT32 capacity, void** items, UINT32* actual) {
  UINT32 n = 0;
  for (UINT32 i = start; n < capacity && i < items_.size(); ++i, ++n) {
    items_[i]->AddRef();
    items[n] = items_[i];
  }
  *actual = n;
  return S_OK;
}
HRESULT ObjectVector::First(IObjectIteratorAbi** first) {
  *first = New<ObjectIterator>(items_, iterator_iid_);
  return S_OK;
}

}  // namespace standin
